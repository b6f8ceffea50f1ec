import type { ImageTensor } from '@cvf/core';
import { useEffect, useRef } from 'react';

/** A bundle's case thumbnail (u8, gray or RGB) drawn at `size` CSS pixels; drawn, never fetched. */
export function ThumbnailCanvas({ image, size, label }: { image: ImageTensor<'u8'>; size: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current!;
    const [height, width, channels] = image.shape as [number, number, number];
    canvas.width = width;
    canvas.height = height;
    const rgba = new Uint8ClampedArray(width * height * 4);
    const data = image.data;
    for (let p = 0; p < width * height; p++) {
      const s = p * channels;
      rgba[p * 4] = data[s]!;
      rgba[p * 4 + 1] = data[channels >= 3 ? s + 1 : s]!;
      rgba[p * 4 + 2] = data[channels >= 3 ? s + 2 : s]!;
      rgba[p * 4 + 3] = 255;
    }
    canvas.getContext('2d')!.putImageData(new ImageData(rgba, width, height), 0, 0);
  }, [image]);
  return <canvas ref={ref} role="img" aria-label={label} style={{ width: size, height: size, imageRendering: 'pixelated' }} />;
}
