"""The face models: the binary detector (CenterFace-style, 5 landmarks) and the binary embedder (SFace loss), their
data, 5-point alignment, training, export and fixtures."""
