// Sidebar icons: one small stroke path each (24×24), decorative (the link text names
// the section). Add a name here when a new section needs its own.
const paths = {
  home: "M3 11l9-8 9 8M5 9.5V21h5v-6h4v6h5V9.5",
  user: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 4-6 8-6s8 2 8 6",
  shield: "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z",
  devices: "M3 5h14v10H3zM1 19h18M19 9h4v10h-4z",
  list: "M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01",
  building: "M4 21V3h10v18M14 9h6v12M8 7h2M8 11h2M8 15h2M2 21h20",
  key: "M15 7a4 4 0 1 1-3.9 5H3v4h3v-2h3v-2h2.1A4 4 0 0 1 15 7z",
  menu: "M3 6h18M3 12h18M3 18h18",
  out: "M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10",
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path d={paths[name]} fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
