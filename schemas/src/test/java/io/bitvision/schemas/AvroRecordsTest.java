package io.bitvision.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class AvroRecordsTest {

    @Test
    void everyRecordTypeRoundTrips() {
        SampleRecords samples = new SampleRecords(7);
        for (int i = 0; i < 50; i++) {
            for (SpecificRecord record : List.of(samples.frameMasks(24, 32), samples.faceMatch(),
                    samples.watchlistUpdate(), samples.cameraHealth(), samples.deadLetter(), samples.cameraActivity(),
                    samples.framePreview())) {
                byte[] message = AvroRecords.encode(record);
                assertThat(AvroRecords.decode(message, record.getClass())).isEqualTo(record);
            }
        }
    }

    @Test
    void headerIsTheMarkerAndTheLittleEndianFingerprint() {
        for (SpecificRecord record : List.of(new SampleRecords(1).frameMasks(4, 4), new SampleRecords(2).deadLetter())) {
            byte[] message = AvroRecords.encode(record);
            long fingerprint = AvroRecords.fingerprint(record.getSchema());

            assertThat(message[0]).isEqualTo((byte) 0xC3);
            assertThat(message[1]).isEqualTo((byte) 0x01);
            for (int i = 0; i < 8; i++) {
                assertThat(message[2 + i]).as("fingerprint byte %d", i).isEqualTo((byte) (fingerprint >>> (8 * i)));
            }
            assertThat(AvroRecords.fingerprintOf(message)).isEqualTo(fingerprint);
        }
    }

    @Test
    void everyPublishedSchemaHasItsOwnFingerprint() {
        assertThat(PublishedRecords.SCHEMAS.stream().map(AvroRecords::fingerprint).distinct())
                .hasSize(PublishedRecords.SCHEMAS.size());
    }

    @Test
    void aMessageOfAnotherTypeIsRefusedByItsFingerprint() {
        byte[] health = AvroRecords.encode(new SampleRecords(3).cameraHealth());

        assertThatThrownBy(() -> AvroRecords.decode(health, FrameMasks.class))
                .isInstanceOf(MissingSchemaException.class);
    }

    @Test
    void bytesWithoutTheMarkerAreRefused() {
        byte[] message = AvroRecords.encode(new SampleRecords(4).cameraHealth());
        message[1] = 0x02;

        assertThatThrownBy(() -> AvroRecords.decode(message, CameraHealth.class)).isInstanceOf(BadHeaderException.class);
        assertThatThrownBy(() -> AvroRecords.fingerprintOf(message)).isInstanceOf(BadHeaderException.class);
        assertThatThrownBy(() -> AvroRecords.fingerprintOf(new byte[] {(byte) 0xC3, 0x01, 0})).isInstanceOf(BadHeaderException.class);
    }

    @Test
    void aTruncatedBodyIsAnAvroError() {
        byte[] message = AvroRecords.encode(new SampleRecords(5).faceMatch());
        byte[] truncated = Arrays.copyOf(message, message.length - 3);

        assertThatThrownBy(() -> AvroRecords.decode(truncated, FaceMatch.class))
                .isInstanceOf(AvroRuntimeException.class).hasRootCauseInstanceOf(EOFException.class);
    }

    @Test
    void hexIsSixteenDigitsMostSignificantFirst() {
        assertThat(AvroRecords.hex(0x0102030405060708L)).isEqualTo("0102030405060708");
        assertThat(AvroRecords.hex(-1L)).isEqualTo("ffffffffffffffff");
        assertThat(AvroRecords.hex(10L)).isEqualTo("000000000000000a");
    }
}
