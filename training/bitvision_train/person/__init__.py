"""The person instance-segmentation model: frames and pseudo-labels, the network, its loss and decoder, training,
evaluation, export and the Java exactness fixtures."""
