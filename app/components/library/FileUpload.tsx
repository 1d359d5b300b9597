import { useRef, useState } from "react";
import { formatBytes } from "../format.ts";
import "../../styles/library.css";

export interface UploadedFile {
  id: string;
  kind: string;
  mime: string;
  size: number;
  originalName: string;
  /** Set by the server for audio that common podcast apps do not play. */
  hint?: string;
}

const kindLabels: Record<string, string> = {
  document: "Dokument",
  video: "Video",
  audio: "Audio",
  image: "Bild",
  captions: "Untertitel",
};

/**
 * Uploads files one by one to /api/v1/uploads with a progress bar; each finished upload adds a hidden `fileIds`
 * input, so the surrounding form attaches it on save. Needs JavaScript; without it, a link can be given instead.
 */
export function FileUpload({ initial = [] }: { initial?: UploadedFile[] }) {
  const [files, setFiles] = useState<UploadedFile[]>(initial);
  const [progress, setProgress] = useState<{ name: string; percent: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const request = useRef<XMLHttpRequest | null>(null);

  const upload = (file: File) => {
    setError(null);
    setStatus(`${file.name} wird hochgeladen …`);
    setProgress({ name: file.name, percent: 0 });
    const body = new FormData();
    body.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    request.current = xhr;
    xhr.open("POST", "/api/v1/uploads");
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setProgress({ name: file.name, percent: Math.round((e.loaded / e.total) * 100) });
    };
    xhr.onload = () => {
      request.current = null;
      setProgress(null);
      if (xhr.status === 201 && xhr.response?.id) {
        const uploaded = xhr.response as UploadedFile;
        setFiles((list) => [...list, uploaded]);
        setStatus(`${uploaded.originalName} ist hochgeladen.${uploaded.hint ? ` ${uploaded.hint}` : ""}`);
      } else {
        setError(
          (xhr.response && xhr.response.error) || "Der Upload hat nicht geklappt. Bitte versuche es noch einmal.",
        );
        setStatus("");
      }
      if (input.current) input.current.value = "";
    };
    xhr.onerror = () => {
      request.current = null;
      setProgress(null);
      setStatus("");
      setError("Der Upload wurde unterbrochen. Bitte prüfe die Verbindung und versuche es noch einmal.");
    };
    xhr.send(body);
  };

  return (
    <div className="field upload">
      <label htmlFor="datei">Datei hochladen</label>
      <p id="datei-hinweis" className="field__hint">
        PDF (bis 20 MB), Video MP4/WebM (bis 500 MB), Audio MP3/M4A/OGG (bis 200 MB), Bilder, Untertitel als WebVTT.
        Eine Datei nach der anderen.
      </p>
      <input
        ref={input}
        id="datei"
        type="file"
        accept=".pdf,.mp4,.webm,.mp3,.m4a,.ogg,.png,.jpg,.jpeg,.gif,.webp,.vtt"
        aria-describedby={error ? "datei-hinweis datei-fehler" : "datei-hinweis"}
        aria-invalid={error ? true : undefined}
        disabled={!!progress}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) upload(file);
        }}
      />
      {progress ? (
        <div className="upload__progress">
          <label htmlFor="upload-fortschritt">Fortschritt für {progress.name}</label>
          <progress id="upload-fortschritt" max={100} value={progress.percent}>
            {progress.percent} %
          </progress>
          <span aria-hidden="true"> {progress.percent} %</span>{" "}
          <button type="button" className="link-button" onClick={() => request.current?.abort()}>
            Abbrechen
          </button>
        </div>
      ) : null}
      {error ? (
        <p id="datei-fehler" className="field__error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="visually-hidden" role="status">
        {status}
      </p>
      {files.length > 0 ? (
        <ul className="file-list">
          {files.map((f) => (
            <li key={f.id}>
              <input type="hidden" name="fileIds" value={f.id} />
              {kindLabels[f.kind] ?? f.kind}: {f.originalName} ({formatBytes(f.size)}){" "}
              <button
                type="button"
                className="link-button"
                onClick={() => setFiles((list) => list.filter((x) => x.id !== f.id))}
              >
                Entfernen<span className="visually-hidden">: {f.originalName}</span>
              </button>
              {f.hint ? <p className="notice notice--warning">{f.hint}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
