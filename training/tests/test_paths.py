import os
import unittest

from bitvision_train.common import paths


class PathsTest(unittest.TestCase):
    def test_repo_is_the_checkout_that_holds_this_package(self):
        self.assertTrue(os.path.isdir(os.path.join(paths.REPO, "training", "bitvision_train", "common")))
        self.assertTrue(os.path.isfile(os.path.join(paths.REPO, "pom.xml")))


if __name__ == "__main__":
    unittest.main()
