"""PyTorch's gradients of a CV Factory CNN step, the reference of cnn-gradients.test.ts.

Reads JSON on stdin: {spec, values (by layout name, flat), x (flat), labels, rowWeights,
classWeights, scale, labelSmoothing}; writes JSON: {grads, running, rowLosses}, computed in float64
with autograd on the same network (torch.nn.functional, BN in training mode with PyTorch's running
statistics update).
"""
import json
import sys

import torch
import torch.nn.functional as F
from cnn_torch_network import blocks_forward, classify

torch.set_default_dtype(torch.float64)
request = json.load(sys.stdin)
spec = request['spec']
values = {name: torch.tensor(v, dtype=torch.float64) for name, v in request['values'].items()}
for name, tensor in values.items():
    if not (name.endswith('.bn.mean') or name.endswith('.bn.var')):
        tensor.requires_grad_(True)


def conv_bn(h, name, out_channels, kernel, stride, pad):
    weight = values[name + '.weight'].view(out_channels, h.shape[1], kernel, kernel)
    y = F.conv2d(h, weight, stride=stride, padding=pad)
    running_mean = values[name + '.bn.mean'].clone()
    running_var = values[name + '.bn.var'].clone()
    y = F.batch_norm(y, running_mean, running_var, values[name + '.bn.scale'], values[name + '.bn.bias'],
                     training=True, momentum=spec['bnMomentum'], eps=spec['bnEpsilon'])
    running[name + '.bn.mean'] = running_mean
    running[name + '.bn.var'] = running_var
    return y


running = {}
x = torch.tensor(request['x'], dtype=torch.float64).view(-1, spec['inputChannels'], spec['height'], spec['width'])
logits = classify(blocks_forward(x, spec, conv_bn), values, spec)

labels = torch.tensor(request['labels'])
valid = (labels >= 0).double()
safe = labels.clamp(min=0)
smoothing = request['labelSmoothing']
target = F.one_hot(safe, spec['classes']).double() * (1 - smoothing) + smoothing / spec['classes']
row_weight = torch.tensor(request['classWeights'])[safe] * torch.tensor(request['rowWeights']) * valid * request['scale']
row_losses = -(target * F.log_softmax(logits, dim=1)).sum(dim=1) * row_weight
row_losses.sum().backward()

json.dump({
    'grads': {name: t.grad.flatten().tolist() for name, t in values.items() if t.requires_grad},
    'running': {name: t.flatten().tolist() for name, t in running.items()},
    'rowLosses': row_losses.detach().tolist(),
}, sys.stdout)
