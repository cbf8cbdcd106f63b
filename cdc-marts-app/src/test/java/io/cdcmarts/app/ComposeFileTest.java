package io.cdcmarts.app;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Docker cannot run here, so the compose file is checked against the thing it drives: every
 * service that runs our image must name a real subcommand with options it accepts, set only
 * environment variables that subcommand reads (a misspelt variable is silently ignored by Docker
 * and by picocli alike, which is exactly the failure this catches), publish and probe the port
 * the service really listens on, and start after what it needs.
 */
class ComposeFileTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");

    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readComposeFile() throws IOException {
        try (Reader in = Files.newBufferedReader(REPO.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(in);
            services = (Map<String, Map<String, Object>>) compose.get("services");
        }
        assertThat(services).as("services in docker-compose.yml").isNotEmpty();
    }

    @Test
    void everyServiceOfOurImageRunsASubcommandWithOptionsItAccepts() {
        assertThat(ourServices()).as("services built from this repository")
                .containsKeys("capture", "processor", "sink", "generator", "schema");
        ourServices().forEach((name, service) -> {
            List<String> command = command(service);
            assertThatCode(() -> CdcMarts.commandLine().parseArgs(command.toArray(String[]::new)))
                    .as("service %s: cdc-marts %s", name, String.join(" ", command))
                    .doesNotThrowAnyException();
        });
    }

    @Test
    void everyEnvironmentVariableIsReadByTheServicesSubcommandAndParses() {
        ourServices().forEach((name, service) -> {
            CommandSpec sub = subcommand(service);
            Map<String, OptionSpec> byVariable = optionsByEnvironmentVariable(sub);
            environment(service).forEach((variable, value) -> {
                assertThat(byVariable).as("service %s sets %s, which `cdc-marts %s` does not read", name, variable, sub.name())
                        .containsKey(variable);
                OptionSpec option = byVariable.get(variable);
                List<String> args = new ArrayList<>(command(service));
                args.add(option.longestName() + "=" + value);
                assertThatCode(() -> CdcMarts.commandLine().parseArgs(args.toArray(String[]::new)))
                        .as("service %s: %s=%s as %s", name, variable, value, option.longestName())
                        .doesNotThrowAnyException();
            });
        });
    }

    @Test
    void theImagesDefaultsAreReadByTheServices() throws IOException {
        List<String> lines = Files.readAllLines(REPO.resolve("Dockerfile"));
        Matcher env = Pattern.compile("\\b(CDC_[A-Z0-9_]+)=").matcher(String.join("\n", lines));
        List<String> defaults = new ArrayList<>();
        while (env.find()) {
            defaults.add(env.group(1));
        }
        assertThat(defaults).as("CDC_ variables the Dockerfile sets").isNotEmpty();
        List<String> read = new ArrayList<>();
        CdcMarts.commandLine().getSubcommands().values()
                .forEach(sub -> read.addAll(optionsByEnvironmentVariable(sub.getCommandSpec()).keySet()));
        assertThat(read).as("variables read by some subcommand").containsAll(defaults);
        assertThat(lines).as("the runtime image runs the shaded jar the build makes")
                .anyMatch(l -> l.contains("cdc-marts-app/target/cdc-marts.jar"));
    }

    @Test
    void theImageStartsFromTheClassDataArchiveItDumpsFromTheRepositorysClassList() throws IOException {
        String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
        assertThat(dockerfile).as("the image takes the repository's class list")
                .contains("COPY cdc-marts-app/src/main/cds/cdc-marts.classlist /app/cds/cdc-marts.classlist");
        Matcher dumped = Pattern.compile("RUN java -Xshare:dump -XX:SharedClassListFile=/app/cds/cdc-marts.classlist"
                + " -XX:SharedArchiveFile=(\\S+) \\\\\\s+-cp /app/cdc-marts.jar ").matcher(dockerfile);
        assertThat(dumped.find()).as("the image dumps a class-data archive of its own jar from that list").isTrue();
        Matcher entrypoint = Pattern.compile("ENTRYPOINT \\[(.*)]").matcher(dockerfile);
        assertThat(entrypoint.find()).isTrue();
        assertThat(entrypoint.group(1)).as("the entrypoint maps that archive, quietly, with the jar it was dumped for")
                .contains("\"-XX:SharedArchiveFile=" + dumped.group(1) + "\"")
                .contains("\"-Xlog:cds=off\"", "\"-Xlog:cds+dynamic=off\"", "\"-jar\", \"/app/cdc-marts.jar\"");
        assertThat(REPO.resolve("cdc-marts-app/src/main/cds/cdc-marts.classlist")).isRegularFile();
    }

    @Test
    void theImageLoadsDuckDbsAndRocksDbsNativeLibrariesFromBesideTheJar() throws IOException {
        String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
        assertThat(dockerfile).as("the build's native libraries beside the jar")
                .contains("COPY --from=build /src/cdc-marts-app/target/libduckdb_java.so_* /src/cdc-marts-app/target/librocksdbjni-* /app/");
        Matcher entrypoint = Pattern.compile("ENTRYPOINT \\[(.*)]").matcher(dockerfile);
        assertThat(entrypoint.find()).isTrue();
        assertThat(entrypoint.group(1)).as("RocksDB finds its library through java.library.path").contains("\"-Djava.library.path=/app\"");
    }

    @Test
    void theImageIsBuiltWithTheCommitItComesFrom() throws IOException {
        // .git is not in the build context, so the commit must come in as a build argument
        assertThat(Files.readAllLines(REPO.resolve(".dockerignore"))).contains(".git/");
        String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
        assertThat(dockerfile).contains("ARG GIT_COMMIT").contains("-Dgit.commit.id=$GIT_COMMIT");
        ourServices().forEach((name, service) -> assertThat(service.get("build")).as(name)
                .isEqualTo(Map.of("context", ".", "args", Map.of("GIT_COMMIT", "${GIT_COMMIT:-unknown}"))));
    }

    @Test
    void publishedPortsAreWhereTheServiceListensOnEveryInterface() {
        ourServices().forEach((name, service) -> {
            for (Object mapping : (List<?>) service.getOrDefault("ports", List.of())) {
                String[] parts = mapping.toString().split(":");
                String containerPort = parts[parts.length - 1];
                Map<String, String> environment = environment(service);
                assertThat(environment.get("CDC_HTTP_PORT")).as("service %s publishes %s", name, mapping).isEqualTo(containerPort);
                assertThat(environment.get("CDC_HTTP_BIND"))
                        .as("service %s must listen on all interfaces for a published port to reach it", name)
                        .isEqualTo("0.0.0.0");
            }
        });
    }

    @Test
    void longRunningServicesHaveHealthchecksOnTheirOwnHttpPort() {
        for (String name : List.of("capture", "processor", "sink")) {
            Map<String, Object> service = services.get(name);
            String port = environment(service).get("CDC_HTTP_PORT");
            assertThat(port).as("%s sets CDC_HTTP_PORT", name).isNotNull();
            assertThat(String.valueOf(healthcheck(service).get("test")))
                    .as("%s's healthcheck probes its /health", name)
                    .contains("localhost:" + port + "/health");
        }
        for (String name : List.of("postgres", "kafka")) {
            assertThat(healthcheck(services.get(name))).as("%s has a healthcheck", name).containsKey("test");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void servicesStartAfterWhatTheyNeed() {
        services.forEach((name, service) -> {
            Object dependsOn = service.get("depends_on");
            if (dependsOn instanceof Map<?, ?> deps) {
                ((Map<String, Object>) deps).keySet().forEach(dep ->
                        assertThat(services).as("%s depends on %s", name, dep).containsKey(dep));
            }
        });
        assertThat(condition("capture", "postgres")).isEqualTo("service_healthy");
        assertThat(condition("capture", "kafka")).isEqualTo("service_healthy");
        assertThat(condition("capture", "schema")).isEqualTo("service_completed_successfully");
        assertThat(condition("processor", "kafka")).isEqualTo("service_healthy");
        assertThat(condition("sink", "kafka")).isEqualTo("service_healthy");
        assertThat(condition("generator", "schema")).isEqualTo("service_completed_successfully");
    }

    @Test
    void theServersAreTheVersionsWeBuildAndTestAgainst() {
        assertThat(services.get("kafka").get("image")).as("Kafka image matches the kafka-clients on our classpath")
                .isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        assertThat(services.get("postgres").get("image").toString()).startsWith("postgres:18");
        assertThat(command(services.get("postgres"))).as("PostgreSQL runs with logical replication")
                .containsSequence("-c", "wal_level=logical");
    }

    private static Map<String, Map<String, Object>> ourServices() {
        Map<String, Map<String, Object>> ours = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            if (service.containsKey("build")) {
                ours.put(name, service);
            }
        });
        return ours;
    }

    private static List<String> command(Map<String, Object> service) {
        Object command = service.get("command");
        assertThat(command).as("command as a list").isInstanceOf(List.class);
        return ((List<?>) command).stream().map(String::valueOf).toList();
    }

    private static CommandSpec subcommand(Map<String, Object> service) {
        String name = command(service).get(0);
        CommandLine sub = CdcMarts.commandLine().getSubcommands().get(name);
        assertThat(sub).as("subcommand %s", name).isNotNull();
        return sub.getCommandSpec();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> out = new LinkedHashMap<>();
        Object environment = Optional.ofNullable(service.get("environment")).orElse(Map.of());
        ((Map<String, Object>) environment).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> healthcheck(Map<String, Object> service) {
        return (Map<String, Object>) Optional.ofNullable(service.get("healthcheck")).orElse(Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Object condition(String service, String dependency) {
        Map<String, Object> deps = (Map<String, Object>) services.get(service).get("depends_on");
        assertThat(deps).as("%s depends_on", service).containsKey(dependency);
        return ((Map<String, Object>) deps.get(dependency)).get("condition");
    }

    /**
     * The environment variable behind each option: picocli's {@code ${env:NAME:-default}} default
     * value, read with interpolation off so the variable's name survives.
     */
    private static Map<String, OptionSpec> optionsByEnvironmentVariable(CommandSpec spec) {
        Map<String, OptionSpec> out = new LinkedHashMap<>();
        boolean interpolating = spec.interpolateVariables();
        spec.interpolateVariables(false);
        for (OptionSpec option : spec.options()) {
            String original = option.defaultValue();
            if (original != null) {
                Matcher m = ENV_REFERENCE.matcher(original);
                while (m.find()) {
                    out.put(m.group(1), option);
                }
            }
        }
        spec.interpolateVariables(interpolating);
        return out;
    }
}
