import gzip
import math
import os
import unittest

import numpy as np

from bitvision_train.face import align

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "engine", "src", "test", "resources", "face-align")


def similarity(degrees, scale, tx, ty):
    c, s = scale * math.cos(math.radians(degrees)), scale * math.sin(math.radians(degrees))
    return np.array([[c, -s, tx], [s, c, ty], [0.0, 0.0, 1.0]])


def apply(matrix, points):
    return points @ matrix[:2, :2].T + matrix[:2, 2]


class EstimateTest(unittest.TestCase):
    def test_recovers_an_exact_similarity(self):
        known = similarity(20, 1.7, 31.5, -12.25)
        np.testing.assert_allclose(align.estimate(align.TEMPLATE, apply(known, align.TEMPLATE)), known,
                                   rtol=0, atol=1e-9)

    def test_least_squares_on_noisy_points_matches_the_linear_solution(self):
        # x' = a x - b y + tx, y' = b x + a y + ty is linear in (a, b, tx, ty): lstsq is the reference.
        rng = np.random.default_rng(3)
        src = align.TEMPLATE * 2.3 + [100, 40]
        dst = apply(similarity(-35, 0.6, 5, 7), src) + rng.normal(0, 2.0, src.shape)
        rows = [[x, -y, 1, 0] for x, y in src] + [[y, x, 0, 1] for x, y in src]
        (a, b, tx, ty), *_ = np.linalg.lstsq(np.array(rows), np.concatenate([dst[:, 0], dst[:, 1]]), rcond=None)
        expected = np.array([[a, -b, tx], [b, a, ty], [0, 0, 1]])
        np.testing.assert_allclose(align.estimate(src, dst), expected, rtol=0, atol=1e-9)

    def test_never_reflects(self):
        mirrored = align.TEMPLATE * [-1, 1]
        m = align.estimate(mirrored, align.TEMPLATE)
        self.assertGreaterEqual(np.linalg.det(m[:2, :2]), 0)
        np.testing.assert_allclose(m[0, 0], m[1, 1], atol=1e-12)
        np.testing.assert_allclose(m[0, 1], -m[1, 0], atol=1e-12)

    def test_rejects_degenerate_points(self):
        with self.assertRaisesRegex(ValueError, "all equal"):
            align.estimate(np.full((5, 2), 7.0), align.TEMPLATE)
        line = np.array([[0, 1], [1, 3], [2, 5], [3, 7], [4, 9]], dtype=np.float64)
        with self.assertRaisesRegex(ValueError, "collinear"):
            align.estimate(line, align.TEMPLATE)
        with self.assertRaisesRegex(ValueError, "finite"):
            align.estimate(np.where(np.eye(5, 2) > 0, np.nan, align.TEMPLATE), align.TEMPLATE)


class WarpTest(unittest.TestCase):
    def test_bilinear_is_exact_on_a_linear_gradient(self):
        # value = 2 col + row + channel at pixel centres; the crop's centre (x + 0.5, y + 0.5) samples the frame
        # at u - 0.5 = col, v - 0.5 = row, where the gradient is exact wherever all four neighbours are inside.
        height, width = 90, 80
        row, col = np.mgrid[0:height, 0:width]
        rgb = np.stack([2 * col + row + c for c in range(3)], axis=-1).astype(np.uint8)
        crop_to_frame = similarity(10, 0.5, 12.0, 20.0)
        out = align.warp(rgb, crop_to_frame)
        centres = np.arange(align.SIZE) + 0.5
        cx, cy = np.meshgrid(centres, centres)
        u = crop_to_frame[0, 0] * cx + crop_to_frame[0, 1] * cy + crop_to_frame[0, 2] - 0.5
        v = crop_to_frame[1, 0] * cx + crop_to_frame[1, 1] * cy + crop_to_frame[1, 2] - 0.5
        self.assertTrue(((u >= 0) & (u <= width - 1) & (v >= 0) & (v <= height - 1)).all())
        for c in range(3):
            np.testing.assert_allclose(out[c], 2 * u + v + c, rtol=0, atol=1e-4)

    def test_outside_the_frame_reads_zero(self):
        rgb = np.full((10, 10, 3), 200, dtype=np.uint8)
        out = align.warp(rgb, similarity(0, 1, -50, -50))  # crop pixel 50 + i samples frame pixel i exactly
        expected = np.zeros((3, align.SIZE, align.SIZE), dtype=np.float32)
        expected[:, 50:60, 50:60] = 200
        np.testing.assert_array_equal(out, expected)

    def test_committed_fixture_is_what_align_computes(self):
        with open(os.path.join(FIXTURE, "image.rgb"), "rb") as f:
            image = np.frombuffer(f.read(), dtype=np.uint8).reshape(align.FIXTURE_HEIGHT, align.FIXTURE_WIDTH, 3)
        np.testing.assert_array_equal(image, align.fixture_image())
        with gzip.open(os.path.join(FIXTURE, "expected.f32.gz"), "rb") as f:
            expected = np.frombuffer(f.read(), dtype="<f4").reshape(3, align.SIZE, align.SIZE)
        np.testing.assert_allclose(align.align(image, align.FIXTURE_LANDMARKS), expected, rtol=0, atol=1e-4)


if __name__ == "__main__":
    unittest.main()
