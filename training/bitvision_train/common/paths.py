"""Where the repository is, for files the training code reads beside it (teacher packages, shipped models)."""
import os

# bitvision_train/common/paths.py -> training/ -> the repository
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
