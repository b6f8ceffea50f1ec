"""PyTorch's Grad-CAM and Integrated Gradients of a CV Factory CNN, the reference of cnn-saliency.test.ts.

Reads JSON on stdin: {spec, values (by layout name, flat), x (one image, flat), classIndex, steps,
baseline (flat)}; writes JSON: {logits, coarse, cam, ig}, computed in float64 with autograd on the
same network in evaluation mode (BN on the running statistics).
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

# The network itself is the CNN trainer's reference's (train/cnn/cnn_torch_network.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'train', 'cnn'))
from cnn_torch_network import blocks_forward, classify as network_classify  # noqa: E402

torch.set_default_dtype(torch.float64)
request = json.load(sys.stdin)
spec = request['spec']
values = {name: torch.tensor(v, dtype=torch.float64) for name, v in request['values'].items()}


def conv_bn(h, name, out_channels, kernel, stride, pad):
    weight = values[name + '.weight'].view(out_channels, h.shape[1], kernel, kernel)
    y = F.conv2d(h, weight, stride=stride, padding=pad)
    return F.batch_norm(y, values[name + '.bn.mean'], values[name + '.bn.var'], values[name + '.bn.scale'], values[name + '.bn.bias'],
                        training=False, eps=spec['bnEpsilon'])


def features(h):
    return blocks_forward(h, spec, conv_bn)


def classify(activations):
    return network_classify(activations, values, spec)


shape = (-1, spec['inputChannels'], spec['height'], spec['width'])
x = torch.tensor(request['x']).view(shape).requires_grad_(True)
c = request['classIndex']

# Grad-CAM: the class logit's gradient with respect to the last block's activations.
activations = features(x)
activations.retain_grad()
logits = classify(activations)
logits[0, c].backward()
alpha = activations.grad.mean(dim=(2, 3), keepdim=True)
coarse = F.relu((alpha * activations).sum(dim=1, keepdim=True))
cam = F.interpolate(coarse, size=(spec['height'], spec['width']), mode='bilinear', align_corners=False)

# Integrated Gradients: right Riemann sum from the baseline.
baseline = torch.tensor(request['baseline']).view(shape)
steps = request['steps']
path = torch.cat([baseline + (k / steps) * (x.detach() - baseline) for k in range(1, steps + 1)]).requires_grad_(True)
classify(features(path))[:, c].sum().backward()
ig = (x.detach() - baseline)[0] * path.grad.mean(dim=0)

json.dump({
    'logits': logits.detach().flatten().tolist(),
    'coarse': coarse.detach().flatten().tolist(),
    'cam': cam.detach().flatten().tolist(),
    'ig': ig.detach().flatten().tolist(),
}, sys.stdout)
