// The look of a button whose action takes something away (beside components/form/button-styles.ts).
export const DANGER_BUTTON =
  "inline-flex items-center justify-center rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-800 disabled:opacity-60";
export const DANGER_OUTLINE_BUTTON =
  "inline-flex items-center justify-center rounded-md border border-red-300 bg-white px-4 py-2 text-sm font-medium text-red-700 shadow-sm hover:bg-red-50 disabled:opacity-60";
