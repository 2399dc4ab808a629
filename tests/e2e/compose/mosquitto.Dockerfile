# A stand-in for eclipse-mosquitto:2 where Docker Hub cannot be reached (tests/e2e/compose.sh
# builds it only then): Debian's mosquitto, laid out as the official image (config in
# /mosquitto/config/mosquitto.conf, mosquitto_sub for the healthcheck), run unprivileged.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends mosquitto mosquitto-clients \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /mosquitto/config /mosquitto/data /mosquitto/log \
    && chown -R mosquitto:mosquitto /mosquitto
USER mosquitto
EXPOSE 1883
CMD ["/usr/sbin/mosquitto", "-c", "/mosquitto/config/mosquitto.conf"]
