import os
import subprocess
import sys
import unittest

import numpy as np

from bitvision_train.person.data import erase_unlabelled
from bitvision_train.person.train import parse_source

HERE = os.path.dirname(os.path.abspath(__file__))


class EraseUnlabelledTest(unittest.TestCase):
    def test_a_teacher_box_without_a_mask_is_painted_over_and_a_labelled_person_keeps_their_pixels(self):
        rgb = np.zeros((60, 80, 3), np.uint8) + 200
        rgb[10:30, 10:20] = 10   # a labelled person
        rgb[10:30, 50:60] = 20   # a person the pseudo-labels left out
        mask = np.zeros((60, 80), np.uint8)
        mask[10:30, 10:20] = 1
        boxes = [[10, 10, 10, 20, 0.9], [50, 10, 10, 20, 0.4]]
        out = erase_unlabelled(rgb, [mask], boxes)
        self.assertTrue((out[10:30, 10:20] == 10).all())
        self.assertTrue((out[10:30, 50:60] == 200).all())  # the frame's median colour
        self.assertTrue((rgb[10:30, 50:60] == 20).all(), "the input frame is not changed")

    def test_nothing_to_erase_returns_the_frame_itself(self):
        rgb = np.zeros((20, 20, 3), np.uint8)
        self.assertIs(erase_unlabelled(rgb, [], []), rgb)


class FrameSetTest(unittest.TestCase):
    def test_a_frame_without_people_gives_an_empty_target_with_or_without_a_crop(self):
        from bitvision_train.person.data import FrameSet
        frame = np.zeros((120, 160, 3), np.uint8)
        for crop in (None, (192, 256)):
            image, target = FrameSet([frame], [[]], augment=True, seed=1, crop=crop)[0]
            self.assertEqual(target.shape[0], 0)
            self.assertEqual(image.shape[0], 3)


class SourceTest(unittest.TestCase):
    def test_data_sources_with_and_without_step_and_teacher(self):
        self.assertEqual(parse_source("v.avi:l.json.gz:0:600"), ("v.avi", "l.json.gz", 0, 600, 1, None))
        self.assertEqual(parse_source("v.mp4:l.gz:10:20:2:t.jsonl.gz"), ("v.mp4", "l.gz", 10, 20, 2, "t.jsonl.gz"))
        with self.assertRaises(SystemExit):
            parse_source("v.mp4:l.gz")


class PseudolabelScriptsTest(unittest.TestCase):
    def test_every_labelling_script_starts(self):
        for script in ("pseudolabel.py", "contact_sheet.py", "teacher_boxes.py"):
            path = os.path.join(HERE, "..", "pseudolabel", script)
            run = subprocess.run([sys.executable, path, "--help"], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, f"{script}: {run.stderr}")
            self.assertIn("usage", run.stdout)


if __name__ == "__main__":
    unittest.main()
