package io.bitvision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.PublishedRecords;
import io.bitvision.testkit.broker.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.RandomData;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code consume} prints every record type the job publishes ({@link PublishedRecords}), each as one JSON line with its
 * type and every field, read from a real broker; a record of an unknown schema is named, not dropped.
 */
class ConsumeCommandITCase {
    private static final String TOPIC = "consume.all-types";
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(1, TOPIC);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void everyPublishedRecordTypeIsPrintedWithAllItsFields() throws Exception {
        List<GenericRecord> sent = new ArrayList<>();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            long seed = 7;
            for (Schema schema : PublishedRecords.SCHEMAS) {
                GenericRecord record = (GenericRecord) new RandomData(schema, 1, seed++).iterator().next();
                sent.add(record);
                producer.send(new ProducerRecord<>(TOPIC, singleObject(record))).get();
            }
            byte[] unknown = singleObject((GenericRecord) new RandomData(Schema.createRecord("Other", null, "x", false,
                    List.of(new Schema.Field("n", Schema.create(Schema.Type.INT)))), 1, 1).iterator().next());
            producer.send(new ProducerRecord<>(TOPIC, unknown)).get();
        }

        CliRun run = CliRun.of("consume", "--bootstrap", broker.bootstrapServers(), "--topic", TOPIC, "--timeout-s", "10");

        assertThat(run.status()).as(run.err()).isZero();
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).hasSize(sent.size() + 1);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < sent.size(); i++) {
            GenericRecord record = sent.get(i);
            JsonNode line = json.readTree(lines[i]);
            assertThat(line.get("type").asText()).isEqualTo(record.getSchema().getName());
            List<String> printed = new ArrayList<>();
            for (Iterator<String> names = line.fieldNames(); names.hasNext(); ) {
                printed.add(names.next());
            }
            List<String> fields = new ArrayList<>(List.of("type"));
            record.getSchema().getFields().forEach(f -> fields.add(f.name()));
            assertThat(printed).as(record.getSchema().getName()).containsExactlyElementsOf(fields);
            for (Schema.Field field : record.getSchema().getFields()) {
                if (field.schema().getType() == Schema.Type.STRING) {
                    assertThat(line.get(field.name()).asText()).as(field.name())
                            .isEqualTo(record.get(field.name()).toString());
                } else if (field.schema().getType() == Schema.Type.LONG) {
                    assertThat(line.get(field.name()).asLong()).as(field.name()).isEqualTo(record.get(field.name()));
                }
            }
        }
        assertThat(lines[sent.size()]).contains("unknown schema fingerprint");
    }

    /** Avro single-object encoding, as the job writes its records: C3 01, the schema's fingerprint, the body. */
    private static byte[] singleObject(GenericRecord record) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xC3, 0x01});
        bytes.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(AvroRecords.fingerprint(record.getSchema())).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }
}
