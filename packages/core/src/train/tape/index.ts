export { ActivationLayer, DropoutLayer } from './activation-layer.js';
export { BatchNormLayer, type BatchNormLayerOptions } from './batch-norm-layer.js';
export { Conv2dLayer, type Conv2dLayerOptions } from './conv2d-layer.js';
export { forwardContext, type ForwardContext, type Layer, type Parameter } from './layer.js';
export { LinearLayer } from './linear-layer.js';
export { AvgPoolLayer, GlobalAveragePoolLayer, MaxPoolLayer } from './pool-layers.js';
export { ResidualBlock, TORCHVISION_RESIDUAL_NAMES, type ResidualBlockOptions, type ResidualLayerNames } from './residual-block.js';
export { Sequential } from './sequential.js';
export { Tape, type BackwardResult, type ParameterGradients, type TapeStep } from './tape.js';
