import { useEffect, useMemo, useRef, useState } from 'react';
import { sliceKey, useInferenceStore } from './inference-store.js';
import { effectiveWindow, renderFrame, withWindow, type UserWindow } from './render-frame.js';
import { SliceOverlay } from './slice-overlay.js';
import { viewerDevice } from './viewer-device.js';
import { currentSeries, currentSlice, decodedFrame, useViewerStore } from './viewer-store.js';
import { placeImage, saliencyColours } from './viewport-drawing.js';

/** How much the window changes per dragged CSS pixel, as a share of the starting width. */
const WINDOW_PER_PIXEL = 1 / 256;

interface Rendered {
  readonly key: string;
  readonly image: OffscreenCanvas;
  readonly window: UserWindow | null;
}

/**
 * The image: the current slice windowed on the Device and drawn fitted, zoomed and panned, with
 * the saliency overlay on top. Drag = window (horizontal: width, vertical: centre); shift-drag or
 * right-drag = pan; wheel, arrow keys, Home/End = slices; ctrl-wheel and +/- = zoom; R = reset.
 */
export function ImageViewport() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const state = useViewerStore();
  const { window: userWindow, preset, zoom, pan, scroll, setSlice, setWindow, setView, resetView } = state;
  const current = currentSlice(state);
  const saliency = useInferenceStore((s) => (s.saliencyOn ? s.saliency : null));
  const opacity = useInferenceStore((s) => s.saliencyOpacity);
  const [rendered, setRendered] = useState<Rendered | null>(null);
  const [renderError, setRenderError] = useState<string | null>(null);
  const [size, setSize] = useState({ width: 512, height: 512 });
  const drag = useRef<{ x: number; y: number; mode: 'window' | 'pan'; start: UserWindow; pan: { x: number; y: number } } | null>(null);
  const key = current ? sliceKey(current.slice) : null;

  // Decode (worker) and window (Device) the slice whenever it or the window changes.
  useEffect(() => {
    if (!current) return;
    const series = currentSeries(useViewerStore.getState());
    const neighbours = [series?.slices[state.sliceIndex + 1], series?.slices[state.sliceIndex - 1]].filter((s) => s !== undefined);
    let cancelled = false;
    void (async () => {
      try {
        const { device } = await viewerDevice();
        const frame = await decodedFrame(current.slice);
        const params = current.image.display ? withWindow(current.image.display, userWindow, preset ?? undefined) : null;
        const pixels = await renderFrame(device, frame, params);
        if (cancelled) return;
        const image = new OffscreenCanvas(pixels.width, pixels.height);
        image.getContext('2d')!.putImageData(pixels, 0, 0);
        const shownWindow = params && frame.samplesPerPixel === 1 ? effectiveWindow(params, frame.pixels) : null;
        setRendered({ key: sliceKey(current.slice), image, window: shownWindow });
        setRenderError(null);
        // The neighbours are decoded while the user looks, so the next scroll step only renders.
        for (const near of neighbours) void decodedFrame(near).catch(() => undefined);
      } catch (error) {
        if (!cancelled) setRenderError(`${(error as { code?: string }).code ?? 'Error'}: ${(error as Error).message}`);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [key, userWindow, preset, current?.image.display]);

  // The canvas follows its box's size, in device pixels.
  useEffect(() => {
    const canvas = canvasRef.current!;
    const observer = new ResizeObserver(([entry]) => setSize({ width: Math.max(1, Math.round(entry!.contentRect.width)), height: Math.max(1, Math.round(entry!.contentRect.height)) }));
    observer.observe(canvas);
    return () => observer.disconnect();
  }, []);

  const saliencyImage = useMemo(() => (saliency && saliency.key === key ? toCanvas(saliencyColours(saliency.map.map, saliency.map.width, saliency.map.height)) : null), [saliency, key]);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const ratio = devicePixelRatio || 1;
    canvas.width = size.width * ratio;
    canvas.height = size.height * ratio;
    const context = canvas.getContext('2d')!;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.fillStyle = '#000';
    context.fillRect(0, 0, size.width, size.height);
    if (!rendered) return;
    const place = placeImage(size, rendered.image, zoom, pan);
    // Pixels stay pixels when magnified: a radiologist wants to see the sampling, not a blur.
    context.imageSmoothingEnabled = place.width < rendered.image.width;
    context.drawImage(rendered.image, place.x, place.y, place.width, place.height);
    if (saliencyImage) {
      context.globalAlpha = opacity;
      context.imageSmoothingEnabled = true;
      context.drawImage(saliencyImage, place.x, place.y, place.width, place.height);
      context.globalAlpha = 1;
    }
  }, [rendered, size, zoom, pan, saliencyImage, opacity]);

  const onPointerDown = (event: React.PointerEvent<HTMLCanvasElement>) => {
    if (!rendered) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const mode = event.shiftKey || event.button === 2 || event.button === 1 ? 'pan' : 'window';
    drag.current = { x: event.clientX, y: event.clientY, mode, start: userWindow ?? rendered.window ?? { center: 127.5, width: 255 }, pan };
  };
  const onPointerMove = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    if (!d) return;
    const dx = event.clientX - d.x;
    const dy = event.clientY - d.y;
    if (d.mode === 'pan') return setView(zoom, { x: d.pan.x + dx, y: d.pan.y + dy });
    if (!rendered?.window) return;
    const step = Math.max(d.start.width * WINDOW_PER_PIXEL, 1e-3);
    setWindow({ center: d.start.center + dy * step, width: Math.max(1, d.start.width + dx * step) });
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onWheel = (event: React.WheelEvent<HTMLCanvasElement>) => {
    if (event.ctrlKey || event.metaKey) setView(zoom * (event.deltaY < 0 ? 1.1 : 1 / 1.1), pan);
    else scroll(Math.sign(event.deltaY));
  };
  const onKeyDown = (event: React.KeyboardEvent<HTMLCanvasElement>) => {
    const keys: Record<string, () => void> = {
      ArrowUp: () => scroll(-1),
      ArrowLeft: () => scroll(-1),
      ArrowDown: () => scroll(1),
      ArrowRight: () => scroll(1),
      PageUp: () => scroll(-10),
      PageDown: () => scroll(10),
      Home: () => setSlice(0),
      End: () => setSlice(Number.MAX_SAFE_INTEGER),
      '+': () => setView(zoom * 1.25, pan),
      '=': () => setView(zoom * 1.25, pan),
      '-': () => setView(zoom / 1.25, pan),
      r: () => (resetView(), setWindow(null)),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  const shownWindow = userWindow ?? rendered?.window ?? null;
  return (
    <div className="viewer-viewport">
      <canvas
        ref={canvasRef}
        data-testid="dicom-canvas"
        data-rendered={rendered?.key ?? ''}
        data-window={shownWindow ? `${round(shownWindow.center)}/${round(shownWindow.width)}` : ''}
        data-zoom={zoom}
        tabIndex={0}
        aria-label="Image. Drag to window, shift-drag to pan, wheel or arrow keys to scroll, ctrl-wheel or +/- to zoom, R to reset."
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onContextMenu={(e) => e.preventDefault()}
        onWheel={onWheel}
        onKeyDown={onKeyDown}
      />
      {current && <SliceOverlay image={current.image} frame={current.slice.frame} window={shownWindow} presetName={preset} />}
      {!current && <p className="viewer-empty">Open a study to start. Images are decoded and inferred on this machine; nothing is uploaded.</p>}
      {renderError && (
        <p role="alert" className="viewer-error">
          {renderError}
        </p>
      )}
    </div>
  );
}

function toCanvas(image: ImageData): OffscreenCanvas {
  const canvas = new OffscreenCanvas(image.width, image.height);
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  return canvas;
}

const round = (v: number) => Math.round(v * 10) / 10;
