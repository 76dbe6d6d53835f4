import unittest

import numpy as np

from bitvision_train.common import rle


class RleTest(unittest.TestCase):
    VECTORS = [
        ([[0, 0, 1, 1, 1, 0, 1]], [2, 3, 1, 1], "231N"),
        ([[1, 1, 1, 1, 1, 1, 0]], [0, 6, 1], "061"),
        ([[0, 1, 0], [0, 1, 1], [0, 0, 1], [0, 0, 0]], [4, 2, 3, 2, 1], "4230N"),
        ([[0, 0], [0, 0]], [4], "4"),
        ([[1, 1], [1, 1]], [0, 4], "04"),
    ]

    def test_facts_vectors(self):
        for mask, counts, text in self.VECTORS:
            self.assertEqual(rle.counts_of(mask), counts)
            self.assertEqual(rle.compress(counts), text)
            self.assertEqual(rle.decompress(text), counts)
            np.testing.assert_array_equal(rle.decode(rle.encode(np.array(mask))), np.array(mask))

    def test_random_masks_round_trip(self):
        rng = np.random.default_rng(7)
        for _ in range(200):
            h, w = rng.integers(1, 40, size=2)
            mask = (rng.random((h, w)) < rng.random()).astype(np.uint8)
            np.testing.assert_array_equal(rle.decode(rle.encode(mask)), mask)

    def test_large_counts_and_negative_deltas(self):
        counts = [100000, 3, 5, 200000, 1, 7, 40]
        self.assertEqual(rle.decompress(rle.compress(counts)), counts)


if __name__ == "__main__":
    unittest.main()
