"""A CV Factory CNN (its spec and its values by layout name) in PyTorch, for the test references.

`conv_bn(h, name, out_channels, kernel, stride, pad)` is the caller's: training or evaluation BN.
"""
import torch.nn.functional as F


def blocks_forward(h, spec, conv_bn):
    """The blocks of the spec, from the input to the last block's activations."""
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
    return h


def classify(activations, values, spec):
    """Global average pooling, then the linear classifier: the logits."""
    embedding = activations.mean(dim=(2, 3))
    return embedding @ values['fc.weight'].view(embedding.shape[1], spec['classes']) + values['fc.bias']
