// The OpenCV side of bench/orb: one Python process (Debian's python3-opencv) that times ORB or
// SIFT over the same 8-bit images the TypeScript side reads, one thread.
import { spawnSync } from 'node:child_process';

const SCRIPT = `
import json, sys, time
import cv2, numpy as np
path, count, side, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
job = json.loads(sys.argv[5])
cv2.setNumThreads(1)
images = np.fromfile(path, dtype=np.uint8).reshape(count, side, side)
if job['kind'] == 'sift':
    detector = cv2.SIFT_create(nfeatures=job['keypoints'])
else:
    detector = cv2.ORB_create(nfeatures=job['keypoints'], nlevels=job['levels'], scaleFactor=job['scaleFactor'], fastThreshold=job['fastThreshold'], edgeThreshold=16, patchSize=31, scoreType=cv2.ORB_HARRIS_SCORE)
best, found = float('inf'), 0
for _ in range(repeat):
    start = time.perf_counter()
    found = 0
    for image in images:
        kps, desc = detector.detectAndCompute(image, None)
        found += len(kps)
    best = min(best, time.perf_counter() - start)
print(json.dumps({'seconds': best, 'keypoints': found, 'version': cv2.__version__}))
`;

export type PeerJob = { kind: 'sift'; keypoints: number } | { kind: 'orb'; keypoints: number; levels: number; scaleFactor: number; fastThreshold: number };

export interface Timed {
  readonly seconds: number;
  readonly keypoints: number;
}

/** The fastest of `repeat` passes of OpenCV over the images in `file` ([count × side × side] u8). */
export function runOpenCv(file: string, count: number, side: number, repeat: number, job: PeerJob): Timed & { version: string } {
  const run = spawnSync('/usr/bin/python3', ['-c', SCRIPT, file, String(count), String(side), String(repeat), JSON.stringify(job)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (run.status !== 0) throw new Error(`OpenCV run failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Timed & { version: string };
}
