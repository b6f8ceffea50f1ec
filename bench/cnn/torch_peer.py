# PyTorch 1.13 (Debian python3-torch, CPU) peer of bench/cnn: the same CNN (blocks, BN, GAP,
# linear classifier), optimizer (AdamW, decay on conv and linear weights only), cosine schedule per
# step, batch size, epochs and threads as the cvf side, on the same Fashion-MNIST images
# (read from the same IDX files, normalised the same way). Prints one JSON object.
import gzip
import json
import math
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

spec = json.loads(sys.argv[1])
torch.set_num_threads(spec['threads'])
torch.manual_seed(spec['seed'])


def idx(path, offset, count, item):
    with gzip.open(path, 'rb') as f:
        data = np.frombuffer(f.read(), dtype=np.uint8, offset=offset)
    return data[: count * item]


def images(name, count):
    x = idx(f"{spec['data']}/{name}-images-idx3-ubyte.gz", 16, count, 784).astype(np.float32)
    x = (x / 255.0 - spec['mean']) / spec['std']
    y = idx(f"{spec['data']}/{name}-labels-idx1-ubyte.gz", 8, count, 1).astype(np.int64)
    return torch.from_numpy(x.reshape(-1, 1, 28, 28).copy()), torch.from_numpy(y.copy())


class ConvBn(nn.Module):
    def __init__(self, cin, cout, kernel, stride, pad):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride, pad, bias=False)
        self.bn = nn.BatchNorm2d(cout, momentum=spec['bnMomentum'], eps=1e-5)
        nn.init.kaiming_normal_(self.conv.weight, nonlinearity='relu')

    def forward(self, x):
        return self.bn(self.conv(x))


class Residual(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = ConvBn(cin, cout, 3, stride, 1)
        self.conv2 = ConvBn(cout, cout, 3, 1, 1)
        self.shortcut = ConvBn(cin, cout, 1, stride, 0) if stride != 1 or cin != cout else None

    def forward(self, x):
        main = self.conv2(F.relu(self.conv1(x)))
        return F.relu(main + (self.shortcut(x) if self.shortcut is not None else x))


def network(blocks, classes):
    layers, channels = [], 1
    for block in blocks:
        if block['kind'] == 'conv':
            layers += [ConvBn(channels, block['channels'], block['kernel'], block['stride'], block['kernel'] // 2), nn.ReLU()]
            channels = block['channels']
        elif block['kind'] == 'residual':
            layers.append(Residual(channels, block['channels'], block['stride']))
            channels = block['channels']
        elif block['kind'] == 'maxpool':
            layers.append(nn.MaxPool2d(block['size']))
        else:
            layers.append(nn.AvgPool2d(block['size']))
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, classes)]
    return nn.Sequential(*layers)


train_x, train_y = images('train', spec['limit'])
test_x, test_y = images('t10k', spec['testLimit'])
model = network(spec['blocks'], 10)
decay = [p for p in model.parameters() if p.ndim >= 2]
no_decay = [p for p in model.parameters() if p.ndim < 2]
optimizer = torch.optim.AdamW([{'params': decay, 'weight_decay': spec['weightDecay']}, {'params': no_decay, 'weight_decay': 0}], lr=spec['lr'])
batches = math.ceil(len(train_y) / spec['batchSize'])
total = spec['epochs'] * batches
epochs = []
step = 0
for epoch in range(spec['epochs']):
    model.train()
    wall, cpu = time.perf_counter(), time.process_time()
    order = torch.randperm(len(train_y))
    for b in range(batches):
        index = order[b * spec['batchSize']:(b + 1) * spec['batchSize']]
        for group in optimizer.param_groups:
            group['lr'] = spec['lr'] * 0.5 * (1 + math.cos(math.pi * step / total))
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(train_x[index]), train_y[index])
        loss.backward()
        optimizer.step()
        step += 1
    epochs.append({'seconds': time.perf_counter() - wall, 'cpuSeconds': time.process_time() - cpu, 'loss': loss.item()})

model.eval()
with torch.no_grad():
    predicted = torch.cat([model(test_x[i:i + 1000]).argmax(1) for i in range(0, len(test_y), 1000)])
print(json.dumps({'epochs': epochs, 'accuracy': (predicted == test_y).double().mean().item(), 'torch': torch.__version__}))
