/** The labels under a device panel bar that ends now: `labels` from its start to "now". */
export function AgoAxis({ labels }: { labels: readonly string[] }) {
  return (
    <div className="device-timeline__axis" aria-hidden="true">
      {labels.map((l) => (
        <span key={l}>{l}</span>
      ))}
      <span>now</span>
    </div>
  );
}
