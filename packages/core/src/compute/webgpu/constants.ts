// WebGPU's numeric flags, from the spec. Spelled out here so core code does not need the
// GPUBufferUsage / GPUMapMode globals, which Node's `webgpu` package only installs on request.
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001 } as const;
