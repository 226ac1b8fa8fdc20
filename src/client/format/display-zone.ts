// The time zone every time on the page is shown in: the browser's (undefined), UTC, or the
// site's own. The page sets it from the URL before it renders, and remounts when it changes,
// so formatters read it as a default rather than through every component's props.
let zone: string | undefined;

export function displayZone(): string | undefined {
  return zone;
}

export function setDisplayZone(next: string | undefined): void {
  zone = next;
}
