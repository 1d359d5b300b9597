#!/usr/bin/env bash
# Regenerates the small demo files in db/seed/samples/ (committed: the seed, the tests and CI use those files, so
# none of the tools below is needed to run the site or its tests).
#
#   onepager.pdf                  one A4 page in German, written by scripts/make-sample-pdf.ts (no PDF tools)
#   kurzvideo.webm / .mp4         5 s title card with a moving bar and German speech: VP9 + Opus, and H.264 + AAC
#                                 with the index at the front ("faststart") for browsers without WebM
#   kurzvideo.vtt                 German WebVTT captions matching the video's speech
#   podcast.ogg / .mp3            6 s of German speech (the start of the demo podcast's transcript): Opus, and MP3
#   podcast.vtt                   captions matching the podcast
#   vorschau.png                  a small preview image (a frame of the video)
#
# The speech comes from espeak-ng; each sentence is placed at a fixed time, so the captions below stay correct.
# Needs (only to regenerate): Node with tsx (npm install), ffmpeg (libvpx, libopus, libx264, libmp3lame) and espeak-ng:
#   apt-get install -y ffmpeg espeak-ng
# Made with ffmpeg 5.1.9 and espeak-ng 1.51 on Debian 12; other versions give slightly different bytes.
set -euo pipefail
cd "$(dirname "$0")/.."

out=db/seed/samples
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in ffmpeg espeak-ng; do
  command -v "$tool" >/dev/null || { echo "$tool fehlt: apt-get install -y ffmpeg espeak-ng" >&2; exit 1; }
done

quiet=(-hide_banner -loglevel error -y)
# Reproducible bytes: no encoder tags or creation times in the files.
bitexact=(-map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact)

# speech OUT.wav SECONDS "sentence 1" START1_MS "sentence 2" START2_MS
speech() {
  espeak-ng -v de -s 155 -w "$work/a.wav" "$3"
  espeak-ng -v de -s 155 -w "$work/b.wav" "$5"
  ffmpeg "${quiet[@]}" -i "$work/a.wav" -i "$work/b.wav" \
    -filter_complex "[0]adelay=$4:all=1[a];[1]adelay=$6:all=1[b];[a][b]amix=inputs=2:normalize=0,apad,atrim=0:$2,aresample=48000" \
    -ac 1 "$1"
}

npx tsx scripts/make-sample-pdf.ts "$out/onepager.pdf"

# --- Short video ---------------------------------------------------------------------------------------------------
speech "$work/video.wav" 5.2 "Willkommen im Lernbegleitungs-Netzwerk." 400 "Heute: das erste Lerngespräch." 2800
font=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
card="[0]drawtext=fontfile=$font:text='Das erste Lerngespräch':fontcolor=white:fontsize=20:x=(w-text_w)/2:y=64,\
drawtext=fontfile=$font:text='Lernbegleitungs-Netzwerk':fontcolor=0xcfe3ef:fontsize=12:x=(w-text_w)/2:y=96[card];\
[card][2]overlay=x='-w+W*t/5.2':y=150[v]"
inputs=(-f lavfi -i "color=c=0x1c5e87:s=320x180:r=12:d=5.2" -i "$work/video.wav" -f lavfi -i "color=c=white:s=320x6:r=12:d=5.2")

ffmpeg "${quiet[@]}" "${inputs[@]}" -filter_complex "$card" -map "[v]" -map 1:a \
  -c:v libvpx-vp9 -b:v 0 -crf 45 -deadline good -cpu-used 1 -row-mt 1 -pix_fmt yuv420p \
  -c:a libopus -b:a 32k -ac 1 -shortest "${bitexact[@]}" "$out/kurzvideo.webm"

ffmpeg "${quiet[@]}" "${inputs[@]}" -filter_complex "$card" -map "[v]" -map 1:a \
  -c:v libx264 -profile:v main -preset veryslow -crf 30 -pix_fmt yuv420p -tune stillimage \
  -c:a aac -b:a 48k -ac 1 -movflags +faststart -shortest "${bitexact[@]}" "$out/kurzvideo.mp4"

cat >"$out/kurzvideo.vtt" <<'VTT'
WEBVTT - Das erste Lerngespräch (Untertitel, Deutsch)

1
00:00:00.300 --> 00:00:02.600
Willkommen im Lernbegleitungs-Netzwerk.

2
00:00:02.700 --> 00:00:05.200
Heute: das erste Lerngespräch.
VTT

ffmpeg "${quiet[@]}" -ss 3 -i "$out/kurzvideo.mp4" -frames:v 1 -vf "scale=160:90" "${bitexact[@]}" "$out/vorschau.png"

# --- Podcast -------------------------------------------------------------------------------------------------------
speech "$work/podcast.wav" 6.0 "Willkommen zum Podcast des Netzwerks." 300 "Heute sprechen wir über Selbstvereinbarungen." 2800

ffmpeg "${quiet[@]}" -i "$work/podcast.wav" -c:a libopus -b:a 32k -ac 1 "${bitexact[@]}" "$out/podcast.ogg"
ffmpeg "${quiet[@]}" -i "$work/podcast.wav" -ar 44100 -c:a libmp3lame -b:a 48k -ac 1 "${bitexact[@]}" "$out/podcast.mp3"

cat >"$out/podcast.vtt" <<'VTT'
WEBVTT - Podcast: Selbstvereinbarungen, die tragen (Untertitel, Deutsch)

1
00:00:00.200 --> 00:00:02.600
Willkommen zum Podcast des Netzwerks.

2
00:00:02.700 --> 00:00:06.000
Heute sprechen wir über Selbstvereinbarungen.
VTT

ls -l "$out"
du -cb "$out"/* | tail -1
