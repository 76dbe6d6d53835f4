package io.bitvision.cli;

import io.bitvision.engine.instance.MaskInstance;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.post.CocoRle;
import io.bitvision.engine.track.Box;
import io.bitvision.operators.inference.ModelClasses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON {@code infer} writes: the model, the image size and each instance with its COCO RLE mask. */
final class InferenceReport {
    private InferenceReport() {}

    static Map<String, Object> of(Model model, int width, int height, List<MaskInstance> instances, double inferenceMs) {
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("name", model.name());
        about.put("version", model.version());
        report.put("model", about);
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("width", width);
        image.put("height", height);
        report.put("image", image);
        List<Object> described = new ArrayList<>(instances.size());
        for (MaskInstance instance : instances) {
            described.add(instance(model, instance, width, height));
        }
        report.put("instances", described);
        report.put("inference_ms", inferenceMs);
        return report;
    }

    static String className(Model model, int classId) {
        return ModelClasses.name(model, classId, "class-" + classId);
    }

    private static Map<String, Object> instance(Model model, MaskInstance instance, int width, int height) {
        Box box = instance.box();
        Map<String, Object> rle = new LinkedHashMap<>();
        rle.put("size", List.of(height, width));
        rle.put("counts", CocoRle.compress(instance.rleCounts()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("class", className(model, instance.classId()));
        json.put("score", instance.score());
        json.put("bbox", List.of(box.x(), box.y(), box.width(), box.height()));
        json.put("area", instance.area());
        json.put("rle", rle);
        return json;
    }
}
