# PyTorch 1.13 (Debian python3-torch, CPU) peer of bench/layers: the same convolutions and the same
# ResNet-18 training step as the cvf side, on the threads given. Prints one JSON object.
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

spec = json.loads(sys.argv[1])
torch.set_num_threads(spec["threads"])
torch.manual_seed(0)


def seconds(fn, repeats):
    fn()
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - start) / repeats


rows = []
for conv in spec["convs"]:
    x = torch.randn(conv["x"], requires_grad=True)
    w = torch.randn(conv["w"], requires_grad=True)
    stride, pad = conv["stride"], conv["pad"]
    with torch.no_grad():
        forward = seconds(lambda: F.conv2d(x, w, stride=stride, padding=pad), spec["repeats"])
    dy = torch.randn(F.conv2d(x, w, stride=stride, padding=pad).shape)

    def backward():
        y = F.conv2d(x, w, stride=stride, padding=pad)
        gx, gw = torch.autograd.grad(y, (x, w), dy)

    rows.append({"name": conv["name"], "forward": forward, "forward_backward": seconds(backward, spec["repeats"])})


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout)) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (self.downsample(x) if self.downsample is not None else x))


def resnet18(classes):
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for width, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
        layers += [Block(cin, width, stride), Block(width, width, 1)]
        cin = width
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, classes))


step = spec["step"]
net = resnet18(step["classes"]).train()
images = torch.randn(step["batch"], 3, step["size"], step["size"])
labels = torch.randint(0, step["classes"], (step["batch"],))


def train_step():
    net.zero_grad()
    F.cross_entropy(net(images), labels).backward()


print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "convs": rows, "step": seconds(train_step, step["repeats"])}))
