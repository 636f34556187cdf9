package dev.tally.bootstrap;

import dev.tally.adapter.kafka.KafkaIngestSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --kafka-bootstrap host:port --kafka-topic usage [--kafka-group tally]
 * [--kafka-dead-letter-topic usage.dlq] [--kafka-property key=value]…}: consume usage records from Kafka as well (R95). Without
 * {@code --kafka-bootstrap} no Kafka client is started.
 */
final class KafkaOption {

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT",
            description = "also consume usage records from Kafka, starting from these brokers (host:port[,host:port])")
    String bootstrap;

    @Option(names = "--kafka-topic", paramLabel = "TOPIC", description = "the topic of usage records (with --kafka-bootstrap)")
    String topic;

    @Option(names = "--kafka-group", paramLabel = "GROUP", defaultValue = KafkaIngestSettings.DEFAULT_GROUP,
            description = "the consumer group that nodes share; default: ${DEFAULT-VALUE}")
    String group;

    @Option(names = "--kafka-dead-letter-topic", paramLabel = "TOPIC",
            description = "where invalid or refused records go, with their error; default: <topic>.dlq")
    String deadLetterTopic;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "a Kafka client property for the consumer and the dead-letter producer (security,"
                    + " timeouts), e.g. security.protocol=SSL; repeatable")
    Map<String, String> properties = new LinkedHashMap<>();

    /** The consumer's settings, if {@code --kafka-bootstrap} was given; an incomplete set is a usage error. */
    Optional<KafkaIngestSettings> settings(CommandLine.Model.CommandSpec spec) {
        if (bootstrap == null) {
            if (topic != null || deadLetterTopic != null || !properties.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--kafka-topic, --kafka-dead-letter-topic and --kafka-property need --kafka-bootstrap");
            }
            return Optional.empty();
        }
        if (topic == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kafka-bootstrap needs --kafka-topic");
        }
        try {
            KafkaIngestSettings settings = KafkaIngestSettings.of(bootstrap, topic).withGroup(group)
                    .withClientProperties(properties);
            return Optional.of(deadLetterTopic == null ? settings : settings.withDeadLetterTopic(deadLetterTopic));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kafka-*: " + e.getMessage());
        }
    }
}
