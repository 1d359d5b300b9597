import { z } from "./zod.ts";
import { MAX_ZOOM, type Crop } from "../domain/avatars/avatars.ts";

const invalid = "Der gewählte Ausschnitt ist ungültig. Bitte stelle ihn mit den Reglern ein.";
const number = (min: number, max: number, fallback: number) =>
  z.preprocess(
    (v) => (v === undefined || v === "" ? fallback : Number(v)),
    z.number({ error: invalid }).min(min, invalid).max(max, invalid),
  );

/** The sliders of the picture cropper: x and y in percent, zoom 1–3; missing (no JavaScript, no choice): the centre. */
export const cropSchema = z.object({
  x: number(0, 100, 50),
  y: number(0, 100, 50),
  zoom: number(1, MAX_ZOOM, 1),
});

export function cropOf(data: z.infer<typeof cropSchema>): Crop {
  return { x: data.x / 100, y: data.y / 100, zoom: data.zoom };
}
