/** The on-device DICOM viewer: images are opened, decoded, windowed and inferred in this browser. */
export function ViewerPage() {
  return (
    <section aria-labelledby="viewer-title">
      <h2 id="viewer-title">Viewer</h2>
      <p>Open DICOM, PNG or JPEG files; they never leave this machine.</p>
    </section>
  );
}
