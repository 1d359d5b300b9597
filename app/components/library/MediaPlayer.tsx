/**
 * Native players with the captions track; the browser's own controls are keyboard-accessible. preload="none": the
 * file is fetched when someone presses play, so opening the page neither costs the bandwidth of a video nor counts
 * as a download.
 */
export function MediaPlayer({
  file,
  captions,
  title,
}: {
  file: { id: string; kind: string; mime: string };
  captions: { id: string; originalName: string }[];
  title: string;
}) {
  const tracks = captions.map((c, i) => (
    <track
      key={c.id}
      kind="captions"
      src={`/dateien/${c.id}`}
      srcLang="de"
      label={captions.length > 1 ? `Deutsch (${i + 1})` : "Deutsch"}
      default={i === 0}
    />
  ));
  if (file.kind === "video") {
    return (
      <div className="player">
        {/* eslint-disable-next-line jsx-a11y/media-has-caption -- the captions are {tracks}, which the rule cannot see */}
        <video controls preload="none" aria-label={`Video: ${title}`}>
          <source src={`/dateien/${file.id}`} type={file.mime} />
          {tracks}
          Dein Browser kann dieses Video nicht abspielen. Du kannst es unten herunterladen.
        </video>
      </div>
    );
  }
  return (
    <div className="player">
      {/* eslint-disable-next-line jsx-a11y/media-has-caption -- the captions are {tracks}, which the rule cannot see */}
      <audio controls preload="none" aria-label={`Audio: ${title}`}>
        <source src={`/dateien/${file.id}`} type={file.mime} />
        {tracks}
        Dein Browser kann diese Audiodatei nicht abspielen. Du kannst sie unten herunterladen.
      </audio>
    </div>
  );
}
