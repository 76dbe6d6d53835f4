package io.bitvision.engine.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.instance.CenterInstModels.Heat;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.engine.testing.Randoms;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstanceDecodersTest {
    private static final SplittableRandom RND = new SplittableRandom(21);
    private static final Model SPARSE = SparseInstModels.model(RND, new SparseInstModels.Shape(8, 10, 3, 4, 2, 2), Map.of());
    private static final Model CENTER = CenterInstModels.model(RND, new CenterInstModels.Shape(8, 10, 4, 2, 3, 1, Heat.SMOOTH),
            Map.of("score_threshold", "0.2"));

    @Test
    void theDecoderKeyChoosesTheDecoder() throws Exception {
        assertThat(InstanceDecoders.forModel(SPARSE)).get().isInstanceOf(SparseInstDecoder.class);
        assertThat(InstanceDecoders.forModel(CENTER)).get().isInstanceOf(CenterInstDecoder.class);
        Model read = ModelReader.fromBytes(ModelWriter.toBytes(CENTER));
        InstanceDecoder decoder = InstanceDecoders.forModel(read).orElseThrow();
        assertThat(decoder).isInstanceOf(CenterInstDecoder.class);
        assertThat(decoder.scoreThreshold()).isEqualTo(0.2f);
        assertThat(decoder.withScoreThreshold(0.7f)).isInstanceOf(CenterInstDecoder.class)
                .extracting(InstanceDecoder::scoreThreshold).isEqualTo(0.7f);
    }

    @Test
    void theChosenDecoderDecodesLikeOneBuiltDirectly() {
        InferenceEngine engine = InferenceEngine.builder(CENTER).build();
        Randoms.fill(new SplittableRandom(3), engine.input());
        engine.run();
        List<MaskInstance> direct = new CenterInstDecoder(CENTER).decode(engine, 33, 47);
        List<MaskInstance> chosen = InstanceDecoders.forModel(CENTER).orElseThrow().decode(engine, 33, 47);
        assertThat(chosen).hasSameSizeAs(direct).isNotEmpty();
        for (int i = 0; i < direct.size(); i++) {
            assertThat(chosen.get(i).rleCounts()).isEqualTo(direct.get(i).rleCounts());
            assertThat(chosen.get(i).score()).isEqualTo(direct.get(i).score());
        }
    }

    @Test
    void withoutTheKeySparseInstOutputsGetSparseInstAndOthersNone() {
        assertThat(InstanceDecoders.forModel(new Model("old", "1", SPARSE.graph()))).get().isInstanceOf(SparseInstDecoder.class);
        assertThat(InstanceDecoders.forModel(new Model("unnamed", "1", CENTER.graph()))).isEmpty();
        Model foreground = Randoms.single(SPARSE.graph().input(), SPARSE.graph().nodes().get(0).op());
        assertThat(InstanceDecoders.forModel(foreground)).isEmpty();
    }

    @Test
    void anUnknownDecoderOrOutputsThatDoNotFitAreRefusedByName() {
        assertThatThrownBy(() -> InstanceDecoders.forModel(withDecoder(SPARSE, "sparseinst-v2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sparseinst-v2")
                .hasMessageContaining(SparseInstDecoder.DECODER_ID).hasMessageContaining(CenterInstDecoder.DECODER_ID);
        assertThatThrownBy(() -> InstanceDecoders.forModel(withDecoder(SPARSE, CenterInstDecoder.DECODER_ID)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no output 'heatmap'");
        assertThatThrownBy(() -> InstanceDecoders.forModel(withDecoder(CENTER, SparseInstDecoder.DECODER_ID)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no output 'iam'");
    }

    private static Model withDecoder(Model model, String decoder) {
        Map<String, String> metadata = new LinkedHashMap<>(model.metadata());
        metadata.put("decoder", decoder);
        return new Model(model.name(), model.version(), model.graph(), metadata);
    }
}
