"""bitvision training: binary-weight person instance segmentation, pseudo-labels and export (training/README.md)."""
