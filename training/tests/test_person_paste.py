import unittest

import numpy as np

from bitvision_train.person import paste


def donor(height=60, width=20, colour=30):
    rgb = np.zeros((height, width, 3), np.uint8) + colour
    mask = np.ones((height, width), np.uint8)
    return rgb, mask


class PersonDonorsTest(unittest.TestCase):
    def test_people_cut_by_the_frame_edge_small_or_wider_than_tall_are_not_donors(self):
        frame = np.zeros((200, 300, 3), np.uint8)
        masks = []
        for y0, y1, x0, x1 in [(20, 120, 50, 80),     # whole, 100 px tall: kept
                               (0, 100, 150, 180),    # touches the top edge
                               (50, 80, 200, 220),    # 30 px: too small
                               (120, 170, 100, 200)]: # wider than tall
            m = np.zeros((200, 300), np.uint8)
            m[y0:y1, x0:x1] = 1
            masks.append(m)
        donors = paste.PersonDonors.from_frames([frame], [masks], np.random.default_rng(0))
        self.assertEqual(len(donors), 1)
        self.assertEqual(donors.patches[0][1].shape, (100, 30))

    def test_no_donor_is_an_error(self):
        with self.assertRaises(ValueError):
            paste.PersonDonors.from_frames([np.zeros((50, 50, 3), np.uint8)], [[]], np.random.default_rng(0))


class PastePeopleTest(unittest.TestCase):
    def test_labels_are_the_visible_pixels_and_a_mostly_hidden_person_is_dropped(self):
        background = np.zeros((paste.FRAME_HEIGHT, paste.FRAME_WIDTH, 3), np.uint8) + 200
        donors = paste.PersonDonors([donor()])
        rng = np.random.default_rng(5)
        for _ in range(30):
            image, masks = paste.paste_people(background, donors, rng, int(rng.integers(0, 9)))
            union = np.zeros(background.shape[:2], bool)
            for m in masks:
                self.assertFalse((union & (m > 0)).any(), "two labels claim one pixel")
                union |= m > 0
            # every labelled pixel shows a person, and the labels keep at least 40 % of a pasted body each
            self.assertTrue((image[union] != 200).all())
        self.assertTrue((background == 200).all(), "the background is not changed")

    def test_a_person_in_front_hides_the_one_behind(self):
        background = np.zeros((paste.FRAME_HEIGHT, paste.FRAME_WIDTH, 3), np.uint8)
        donors = paste.PersonDonors([donor(100, 40)])

        class Fixed:
            """Two people of the same size at the same place, the second lower by 10 px (so in front)."""
            def __init__(self):
                self.ints = iter([0, 300, 100, 0, 310, 100])

            def integers(self, low, high=None):
                return next(self.ints)

            def uniform(self, low, high):
                return np.log(100.0) if low < 10 else (low + high) / 2

            def random(self):
                return 0.9

        image, masks = paste.paste_people(background, donors, Fixed(), 2, min_px=100, max_px=100)
        self.assertEqual(len(masks), 1, "the person behind shows 10 of 100 rows: dropped")
        ys, xs = np.nonzero(masks[0])
        self.assertEqual((ys.min(), ys.max() + 1), (210, 310))

    def test_composites_are_training_samples(self):
        frame = np.zeros((200, 300, 3), np.uint8) + 90
        m = np.zeros((200, 300), np.uint8)
        m[40:140, 100:130] = 1
        donors = paste.PersonDonors.from_frames([frame], [[m]], np.random.default_rng(0))
        scenes = paste.PastedScenes(donors, [np.zeros((240, 320, 3), np.uint8)], length=5, seed=1, crop=(192, 256))
        self.assertEqual(len(scenes), 5)
        image, target = scenes[0]
        self.assertEqual(tuple(image.shape), (3, 192, 256))
        self.assertEqual(tuple(target.shape[1:]), (96, 128))


if __name__ == "__main__":
    unittest.main()
