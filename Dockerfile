# One image for every cdc-marts service; docker compose picks the subcommand.
# Build stage: the Maven wrapper inside a JDK image, tests skipped (CI runs them).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY cdc-common/pom.xml cdc-common/
COPY test-support/pom.xml test-support/
COPY generator/pom.xml generator/
COPY cdc-capture/pom.xml cdc-capture/
COPY stream-processor/pom.xml stream-processor/
COPY duckdb-sink/pom.xml duckdb-sink/
COPY cdc-marts-app/pom.xml cdc-marts-app/
# Dependencies first, so a source change does not download the world again.
RUN ./mvnw -B -q -ntp dependency:go-offline -DexcludeReactor=true || true
COPY . .
# The jar (and, beside it, DuckDB's and RocksDB's) carries one platform's native libraries (DuckDB,
# RocksDB, zstd, snappy, PostgreSQL for `local`): the image's own, from the platform Docker builds for (BuildKit's TARGETARCH).
ARG TARGETARCH=amd64
# The git commit for `--version` and /health: .git is not in the build context (.dockerignore), so
# it comes in as a build argument (docker-compose.yml passes $GIT_COMMIT; README "With Docker").
ARG GIT_COMMIT=unknown
RUN if [ "$TARGETARCH" = "arm64" ]; then platform=linux-aarch64; else platform=linux-x86_64; fi; \
    ./mvnw -B -ntp package -DskipTests -Dcdc.platform=$platform -Dgit.commit.id=$GIT_COMMIT

# Runtime: a JRE on glibc (DuckDB's JDBC driver ships glibc native libraries).
FROM eclipse-temurin:17-jre
# curl for the compose healthchecks (GET /health on each service's port).
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /app cdc && mkdir -p /data /replica && chown cdc /data /replica
WORKDIR /app
COPY --from=build /src/cdc-marts-app/target/cdc-marts.jar /app/cdc-marts.jar
# DuckDB's and RocksDB's native libraries, beside the jar (the build's copy-native-libraries):
# each service loads them as they are instead of copying them to /tmp at every start.
COPY --from=build /src/cdc-marts-app/target/libduckdb_java.so_* /src/cdc-marts-app/target/librocksdbjni-* /app/
# Class-data sharing: the archive of the classes the services load, dumped from the repository's
# class list (bin/cds-classlist records it), with this image's Java and jar path, so each service and
# each restart maps them instead of loading them from the jar again. The image works without it (a
# failed dump is said here; a JVM that cannot use the archive ignores it).
COPY cdc-marts-app/src/main/cds/cdc-marts.classlist /app/cds/cdc-marts.classlist
RUN java -Xshare:dump -XX:SharedClassListFile=/app/cds/cdc-marts.classlist -XX:SharedArchiveFile=/app/cds/cdc-marts.jsa \
      -cp /app/cdc-marts.jar >/tmp/cds-dump.log 2>&1 \
    || echo "no class-data archive (the dump failed): the services start without one (slower, same results)"
USER cdc
VOLUME ["/data"]
ENV CDC_DUCKDB_PATH=/data/cdc-marts.duckdb \
    CDC_STATE_DIR=/data/streams-state
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Djava.library.path=/app", "-XX:SharedArchiveFile=/app/cds/cdc-marts.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", "/app/cdc-marts.jar"]
CMD ["--help"]
