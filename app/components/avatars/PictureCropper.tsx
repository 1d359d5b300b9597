import { useRef, useState, type PointerEvent } from "react";
import { MAX_ZOOM, squareCrop, type Crop } from "../../domain/avatars/avatars.ts";

const FRAME = 208;

/**
 * Choosing the square of a profile picture: a round preview of exactly what others will see, and three sliders
 * (zoom, left–right, up–down) that work with the keyboard (arrow keys, Page Up/Down, Home/End) and by touch. Dragging
 * the preview with a finger or the mouse moves the square too. The sliders are the form fields (`x`, `y` in percent,
 * `zoom`), so the form sends the choice with or without JavaScript; the preview is computed with squareCrop, the
 * same function the server cuts with.
 */
export function PictureCropper({
  image,
  width,
  height,
  initial,
  idPrefix,
}: {
  image: string;
  width: number;
  height: number;
  initial: Crop;
  idPrefix: string;
}) {
  const [crop, setCrop] = useState<Crop>(initial);
  const drag = useRef<{ px: number; py: number; x: number; y: number } | null>(null);
  const square = squareCrop(width, height, crop);
  const scale = FRAME / square.size;
  const set = (next: Partial<Crop>) => setCrop((c) => ({ ...c, ...next }));

  function start(e: PointerEvent<HTMLDivElement>) {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { px: e.clientX, py: e.clientY, x: crop.x, y: crop.y };
  }
  function move(e: PointerEvent<HTMLDivElement>) {
    const d = drag.current;
    if (!d) return;
    // Moving the picture right shows more of its left: the focus goes the other way, in source pixels.
    const dx = (e.clientX - d.px) / scale / width;
    const dy = (e.clientY - d.py) / scale / height;
    set({ x: Math.min(1, Math.max(0, d.x - dx)), y: Math.min(1, Math.max(0, d.y - dy)) });
  }
  const end = () => (drag.current = null);

  const percent = (v: number) => Math.round(v * 100);
  const sideText = (v: number, low: string, high: string) =>
    v < 0.45
      ? `${percent(v)} % – eher ${low}`
      : v > 0.55
        ? `${percent(v)} % – eher ${high}`
        : `${percent(v)} % – Mitte`;
  return (
    <div className="cropper">
      <div
        className="cropper__frame"
        style={{ width: FRAME, height: FRAME }}
        onPointerDown={start}
        onPointerMove={move}
        onPointerUp={end}
        onPointerCancel={end}
      >
        <img
          src={image}
          alt="Vorschau: so sehen andere dein Profilbild"
          draggable={false}
          style={{ width: width * scale, height: height * scale, left: -square.left * scale, top: -square.top * scale }}
        />
      </div>
      <div className="cropper__controls">
        <div className="field">
          <label htmlFor={`${idPrefix}-zoom`}>Vergrößern</label>
          <input
            id={`${idPrefix}-zoom`}
            name="zoom"
            type="range"
            min={1}
            max={MAX_ZOOM}
            step={0.05}
            value={crop.zoom}
            aria-valuetext={`${crop.zoom.toLocaleString("de-DE", { maximumFractionDigits: 2 })}-fach`}
            onChange={(e) => set({ zoom: Number(e.target.value) })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-x`}>Ausschnitt nach links oder rechts</label>
          <input
            id={`${idPrefix}-x`}
            name="x"
            type="range"
            min={0}
            max={100}
            step={1}
            value={percent(crop.x)}
            aria-valuetext={sideText(crop.x, "links", "rechts")}
            onChange={(e) => set({ x: Number(e.target.value) / 100 })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-y`}>Ausschnitt nach oben oder unten</label>
          <input
            id={`${idPrefix}-y`}
            name="y"
            type="range"
            min={0}
            max={100}
            step={1}
            value={percent(crop.y)}
            aria-valuetext={sideText(crop.y, "oben", "unten")}
            onChange={(e) => set({ y: Number(e.target.value) / 100 })}
          />
        </div>
        <p className="field__hint">Du kannst das Bild in der Vorschau auch mit dem Finger oder der Maus verschieben.</p>
      </div>
    </div>
  );
}
