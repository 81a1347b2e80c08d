export const addMs = (date: Date, ms: number): string => new Date(date.getTime() + ms).toISOString();
