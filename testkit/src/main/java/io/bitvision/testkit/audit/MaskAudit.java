package io.bitvision.testkit.audit;

import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.FrameMasks;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks the mask topic the way a consumer would: per camera, frame sequence numbers must be unique,
 * contiguous from 0 and in order within the partition.
 *
 * @param duplicates records whose (camera, frame_seq) was already seen
 * @param gaps       sequence numbers missing between 0 and the camera's highest, summed over cameras
 * @param outOfOrder records whose frame_seq is not above the previous one of the same camera
 */
public record MaskAudit(int records, int duplicates, long gaps, int outOfOrder, Map<String, Long> framesPerCamera) {

    public static MaskAudit of(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Set<Long>> seen = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        int duplicates = 0;
        int outOfOrder = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            FrameMasks masks = AvroRecords.decode(record.value(), FrameMasks.class);
            String camera = masks.getCameraId();
            if (!seen.computeIfAbsent(camera, k -> new HashSet<>()).add(masks.getFrameSeq())) {
                duplicates++;
            }
            Long previous = last.put(camera, masks.getFrameSeq());
            if (previous != null && masks.getFrameSeq() <= previous) {
                outOfOrder++;
            }
        }
        long gaps = 0;
        Map<String, Long> frames = new HashMap<>();
        for (Map.Entry<String, Set<Long>> e : seen.entrySet()) {
            long max = e.getValue().stream().mapToLong(Long::longValue).max().orElse(-1);
            gaps += (max + 1) - e.getValue().size();
            frames.put(e.getKey(), (long) e.getValue().size());
        }
        return new MaskAudit(records.size(), duplicates, gaps, outOfOrder, frames);
    }
}
