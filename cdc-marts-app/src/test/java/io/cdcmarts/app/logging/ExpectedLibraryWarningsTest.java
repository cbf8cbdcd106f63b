package io.cdcmarts.app.logging;

import org.apache.kafka.common.errors.NotControllerException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The filter drops exactly the expected library warnings (texts as a healthy run logged them) and keeps their neighbours. */
class ExpectedLibraryWarningsTest {

    private static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";
    private static final String METADATA = "[Consumer clientId=cdc-marts-processor-shop-45-StreamThread-1-consumer, "
            + "groupId=cdc-marts-processor-shop] The metadata response from the cluster reported a recoverable issue "
            + "with correlation id 2 : ";

    @Test
    void dropsTheStreamsInternalTopicsNotCreatedYet() {
        assertThat(ExpectedLibraryWarnings.expected(NETWORK_CLIENT, METADATA
                + "{cdc-marts-processor-shop-product-variants-join-products-subscription-registration-topic=UNKNOWN_TOPIC_OR_PARTITION, "
                + "cdc-marts-processor-shop-order-item-lines-join-revenue-orders-subscription-response-topic=UNKNOWN_TOPIC_OR_PARTITION, "
                + "cdc-marts-processor-shop-revenue-orders-by-day-repartition=LEADER_NOT_AVAILABLE, "
                + "cdc-marts-processor-shop-customers-raw-changelog=UNKNOWN_TOPIC_OR_PARTITION}", null)).isTrue();
    }

    @Test
    void keepsAMissingTopicOfAnyOtherKindOrAnyOtherError() {
        // a source topic among the internal ones: the user's to act on
        assertThat(ExpectedLibraryWarnings.expected(NETWORK_CLIENT, METADATA
                + "{cdc-marts-processor-shop-revenue-orders-by-day-repartition=UNKNOWN_TOPIC_OR_PARTITION, "
                + "shop.raw.orders=UNKNOWN_TOPIC_OR_PARTITION}", null)).isFalse();
        // an internal topic, but an error that does not mean "not created yet"
        assertThat(ExpectedLibraryWarnings.expected(NETWORK_CLIENT, METADATA
                + "{cdc-marts-processor-shop-revenue-orders-by-day-repartition=TOPIC_AUTHORIZATION_FAILED}", null)).isFalse();
        // the same logger's warning about an unreachable broker
        assertThat(ExpectedLibraryWarnings.expected(NETWORK_CLIENT, "[Producer clientId=p] Connection to node -1 "
                + "(localhost/127.0.0.1:9092) could not be established. Node may not be available.", null)).isFalse();
    }

    @Test
    void dropsTheInProcessBrokersStartsAndShutdownAndTheAssignorsConfigCopy() {
        assertThat(ExpectedLibraryWarnings.expected("org.apache.kafka.controller.QuorumController",
                "[QuorumController id=1] Performing controller activation. The metadata log appears to be empty. "
                        + "Appending 6 bootstrap record(s) in metadata transaction at metadata.version 4.3-IV0", null)).isTrue();
        assertThat(ExpectedLibraryWarnings.expected("org.apache.kafka.controller.QuorumController",
                "[QuorumController id=1] Performing controller activation.", null)).isTrue();
        assertThat(ExpectedLibraryWarnings.expected("org.apache.kafka.controller.QuorumController",
                "[QuorumController id=1] Performing controller activation. Aborting in-progress metadata transaction at offset 42.",
                null)).isFalse();
        assertThat(ExpectedLibraryWarnings.expected(NETWORK_CLIENT, "[NodeToControllerChannelManager id=1 name=registration] "
                + "Attempting to close NetworkClient that has already been closed.", null)).isTrue();
        assertThat(ExpectedLibraryWarnings.expected("org.apache.kafka.streams.StreamsConfig",
                "Processing exception handler is not enabled for the GlobalThread. It's recommended to set "
                        + "`processing.exception.handler.global.enabled` to true to enable it.", null)).isTrue();
        // a client closed twice is a bug of ours, not the broker's shutdown order
        assertThat(ExpectedLibraryWarnings.expected(NETWORK_CLIENT,
                "[Producer clientId=p] Attempting to close NetworkClient that has already been closed.", null)).isFalse();
        assertThat(ExpectedLibraryWarnings.expected("org.apache.kafka.controller.QuorumController",
                "[QuorumController id=1] Some other controller warning", null)).isFalse();
    }

    @Test
    void dropsTheRestartedControllerRefusingItsOwnRegistrationAndNothingElse() {
        String apis = "kafka.server.ControllerApis";
        String registration = "[ControllerApis nodeId=1] Unexpected error handling request RequestHeader(apiKey=CONTROLLER_REGISTRATION, "
                + "apiVersion=0, clientId=1, correlationId=0, headerVersion=2) -- ControllerRegistrationRequestData(controllerId=1)";
        Throwable itself = new java.util.concurrent.CompletionException(
                new NotControllerException("The active controller appears to be node 1."));

        assertThat(ExpectedLibraryWarnings.expectedError(apis, registration, itself)).isTrue();
        // another node named as the controller, another error, another request, another logger: all still show
        assertThat(ExpectedLibraryWarnings.expectedError(apis, registration,
                new NotControllerException("The active controller appears to be node 2."))).isFalse();
        assertThat(ExpectedLibraryWarnings.expectedError(apis, registration, new IllegalStateException("boom"))).isFalse();
        assertThat(ExpectedLibraryWarnings.expectedError(apis, registration.replace("CONTROLLER_REGISTRATION", "CREATE_TOPICS"),
                itself)).isFalse();
        assertThat(ExpectedLibraryWarnings.expectedError("kafka.server.KafkaApis", registration, itself)).isFalse();
    }

    @Test
    void dropsTheCoordinatorTopicsRaceOfAFreshBrokerAndNothingElse() {
        String creation = "kafka.server.DefaultAutoTopicCreationManager";
        String coordinator = "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator";
        String commit = "[Consumer clientId=cdc-marts-sink-shop, groupId=cdc-marts-sink-shop] Offset commit failed on partition "
                + "shop.raw.orders-0 at offset 63";

        assertThat(ExpectedLibraryWarnings.expected(creation, "Auto topic creation failed for __transaction_state with error "
                + "'TOPIC_ALREADY_EXISTS': Topic '__transaction_state' already exists.", null)).isTrue();
        assertThat(ExpectedLibraryWarnings.expected(creation, "Auto topic creation failed for __consumer_offsets with error "
                + "'TOPIC_ALREADY_EXISTS': Topic '__consumer_offsets' already exists.", null)).isTrue();
        assertThat(ExpectedLibraryWarnings.expected(coordinator, commit + ": This is not the correct coordinator.", null)).isTrue();
        assertThat(ExpectedLibraryWarnings.expected(coordinator,
                commit + ": The coordinator is loading and hence can't process requests.", null)).isTrue();
        // a user's topic, another creation error, another commit error: all still show
        assertThat(ExpectedLibraryWarnings.expected(creation, "Auto topic creation failed for shop.raw.orders with error "
                + "'TOPIC_ALREADY_EXISTS': Topic 'shop.raw.orders' already exists.", null)).isFalse();
        assertThat(ExpectedLibraryWarnings.expected(creation, "Auto topic creation failed for __transaction_state with error "
                + "'INVALID_REPLICATION_FACTOR': Replication factor: 3 larger than available brokers: 1.", null)).isFalse();
        assertThat(ExpectedLibraryWarnings.expected(coordinator,
                commit + ": The request timed out.", null)).isFalse();
        assertThat(ExpectedLibraryWarnings.expected(coordinator, commit.replace("cdc-marts-sink-shop", "my-app")
                + ": This is not the correct coordinator.", null)).isFalse();
    }
}
