import os
import tempfile
import unittest

import cv2
import numpy as np

from bitvision_train.person import photos


def write_photo(root, name, h, w, people):
    os.makedirs(os.path.join(root, "PNGImages"), exist_ok=True)
    os.makedirs(os.path.join(root, "PedMasks"), exist_ok=True)
    rgb = np.zeros((h, w, 3), np.uint8) + 120
    ids = np.zeros((h, w), np.uint8)
    for k, (y0, y1, x0, x1) in enumerate(people, start=1):
        ids[y0:y1, x0:x1] = k
        rgb[y0:y1, x0:x1] = 30 * k
    cv2.imwrite(os.path.join(root, "PNGImages", name + ".png"), rgb)
    cv2.imwrite(os.path.join(root, "PedMasks", name + "_mask.png"), ids)


class MaskedPhotosTest(unittest.TestCase):
    def test_each_person_id_is_one_mask_and_photos_are_padded_to_four_by_three(self):
        with tempfile.TemporaryDirectory() as root:
            write_photo(root, "a", 200, 400, [(20, 150, 30, 80), (40, 190, 200, 260)])  # wide: padded below
            write_photo(root, "b", 300, 150, [(10, 290, 20, 120)])                        # tall: padded right
            frames, masks = photos.load_masked_photos(root)
        self.assertEqual([f.shape for f in frames], [(300, 400, 3), (300, 400, 3)])
        self.assertEqual([len(m) for m in masks], [2, 1])
        self.assertEqual(int(masks[0][1].sum()), 150 * 60)
        self.assertTrue((masks[0][1][40:190, 200:260] == 1).all())
        self.assertTrue((frames[0][200:] == 120).all(), "the pad is the photo's median colour")
        self.assertEqual(int(masks[1][0][:, 150:].sum()), 0, "nobody in the pad")

    def test_a_photo_without_its_mask_is_an_error(self):
        with tempfile.TemporaryDirectory() as root:
            write_photo(root, "a", 60, 80, [(5, 50, 5, 20)])
            os.remove(os.path.join(root, "PedMasks", "a_mask.png"))
            with self.assertRaises(FileNotFoundError):
                photos.load_masked_photos(root)
        with tempfile.TemporaryDirectory() as empty:
            with self.assertRaises(FileNotFoundError):
                photos.load_masked_photos(empty)


if __name__ == "__main__":
    unittest.main()
