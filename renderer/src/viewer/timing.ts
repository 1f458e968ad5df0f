// Performance marks the viewer leaves for people (the status line) and for the e2e test, which reads them
// with performance.getEntriesByName: click/open → first frame, and stretch/colormap change → redrawn frame.

export const MARK_OPEN = 'viewer:open-start';
export const MEASURE_FIRST_FRAME = 'viewer:first-frame';
export const MARK_SETTINGS = 'viewer:settings-change';
export const MEASURE_SETTINGS = 'viewer:settings-redraw';

export function markOpenStart(): void {
  performance.clearMarks(MARK_OPEN);
  performance.mark(MARK_OPEN);
}

let settingsPending = false;

/** Called by the controls when the user changes stretch, colormap, limits or mask display. */
export function markSettingsChange(): void {
  performance.clearMarks(MARK_SETTINGS);
  performance.mark(MARK_SETTINGS);
  settingsPending = true;
}

/** Called after a frame was drawn (and finished); closes whichever measurement is open. */
export function frameDrawn(firstOfImage: boolean): void {
  if (firstOfImage && performance.getEntriesByName(MARK_OPEN, 'mark').length > 0) {
    performance.measure(MEASURE_FIRST_FRAME, MARK_OPEN);
    performance.clearMarks(MARK_OPEN);
  }
  if (settingsPending) {
    settingsPending = false;
    performance.measure(MEASURE_SETTINGS, MARK_SETTINGS);
  }
}
