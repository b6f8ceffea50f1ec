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
h = torch.tensor(request['x'], dtype=torch.float64).view(-1, spec['inputChannels'], spec['height'], spec['width'])
for b, block in enumerate(spec['blocks']):
    if block['kind'] == 'conv':
        h = F.relu(conv_bn(h, f'block{b}.conv', block['channels'], block['kernel'], block['stride'], block['kernel'] // 2))
    elif block['kind'] == 'residual':
        main = F.relu(conv_bn(h, f'block{b}.conv1', block['channels'], 3, block['stride'], 1))
        main = conv_bn(main, f'block{b}.conv2', block['channels'], 3, 1, 1)
        projected = block['stride'] != 1 or h.shape[1] != block['channels']
        shortcut = conv_bn(h, f'block{b}.shortcut', block['channels'], 1, block['stride'], 0) if projected else h
        h = F.relu(main + shortcut)
    elif block['kind'] == 'maxpool':
        h = F.max_pool2d(h, block['size'])
    else:
        h = F.avg_pool2d(h, block['size'])
embedding = h.mean(dim=(2, 3))
logits = embedding @ values['fc.weight'].view(embedding.shape[1], spec['classes']) + values['fc.bias']

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
