import unittest

import torch

from bitvision_train.common.graph import DeployNet, trace
from bitvision_train.common.blocks import TrainOps
from bitvision_train.person.model import PersonNet


def randomized(seed=0):
    torch.manual_seed(seed)
    net = PersonNet()
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-20, 20)
            m.running_var.uniform_(50, 400)
            m.weight.data.uniform_(-1.5, 1.5)
            m.bias.data.uniform_(-1, 2)
    return net.eval()


class ExportTest(unittest.TestCase):
    def test_deploy_form_matches_training_form(self):
        net = randomized()
        image = torch.randint(0, 256, (1, 3, 288, 384)).float()
        ops = trace(net, image)
        marks = {}

        class Marking(TrainOps):
            def mark(self, name, x):
                marks[name] = x
                return x

        with torch.no_grad():
            net(image, Marking())
        for name in ("e0", "e1", "skip", "mask_features"):
            a = marks[name]
            b = ops.marks[name].value.float()
            agree = (a == b).float().mean().item()
            self.assertGreater(agree, 0.995, name)
        heat_diff = (marks["heatmap"] - ops.marks["heatmap"].value.float()).abs().max().item()
        self.assertLess(heat_diff, 0.5)

    def test_onnx_form_equals_deploy_values(self):
        net = randomized(1)
        image = torch.randint(0, 256, (1, 3, 288, 384)).float()
        ops = trace(net, image)
        heat, heads, mf = DeployNet(ops)(image)
        self.assertTrue(torch.equal(mf, ops.marks["mask_features"].value.float()))
        self.assertLess((heat - ops.marks["heatmap"].value.float()).abs().max().item(), 1e-5)
        self.assertLess((heads - ops.marks["heads"].value.float()).abs().max().item(), 1e-3)


if __name__ == "__main__":
    unittest.main()


class FaceExportTest(unittest.TestCase):
    def test_face_embedder_deploy_form_matches_training_form(self):
        from bitvision_train.common.graph import GraphOps
        from bitvision_train.face.model import FaceNet
        torch.manual_seed(4)
        net = FaceNet()
        for m in net.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-20, 20)
                m.running_var.uniform_(50, 400)
                m.bias.data.uniform_(-1, 2)
        net.eval()
        image = torch.randint(0, 256, (1, 3, 112, 112)).float()
        ops = GraphOps(image)
        with torch.no_grad():
            net(ops.refs[0], ops)
            trained = net(image)
        deployed = ops.marks["embedding"].value.float()
        self.assertEqual(tuple(deployed.shape), (1, 128, 1, 1))
        self.assertLess((trained - deployed).abs().max().item(), 1e-3 * trained.abs().max().item())
