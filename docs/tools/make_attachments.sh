#!/usr/bin/env bash
# Makes the small real attachment files of sample-data/files/ (run after make_sample.py, which
# writes docs/tools/sample-facts.txt):
#   - a "scanned" order: a greyscale page image with paper noise and a slight skew, in a PDF;
#   - a JPEG "photo" of a contest diploma, in perspective on a desk;
#   - an Ogg Vorbis clip of Russian speech (espeak-ng + sox).
# Needs: apt-get install imagemagick img2pdf espeak-ng sox libsox-fmt-base fonts-dejavu-core
# The files are committed; this script only documents how they were made (ImageMagick and
# Vorbis output is not byte-reproducible across versions).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../sample-data}
facts=$here/sample-facts.txt
get() { sed -n "s/^$1=//p" "$facts"; }
serif=/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf
serif_b=/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out/files/prikazy" "$out/files/foto" "$out/files/audio"

# ---- the scanned order (A4 at 100 dpi)
names=$(get cos1 | sed 's/; /\n/g' | nl -w2 -s'. ')
cat >"$tmp/order.txt" <<EOF
Автономная некоммерческая организация
дополнительного профессионального образования
«Центр развития компетенций «Горизонт»

ПРИКАЗ

28.02.2025                                                            № 09-З
г. Екатеринбург

О зачислении на обучение по программе повышения квалификации
«Цифровая образовательная среда: проектирование и сопровождение
онлайн-курсов»

На основании договоров об оказании платных образовательных услуг
и заявлений слушателей

ПРИКАЗЫВАЮ:

1. Зачислить с 03.03.2025 в группу ПК-ЦОС-25-1 (72 часа,
очно-заочная форма с применением ДОТ) следующих слушателей:
$names

2. Куратором группы назначить Белову Ирину Николаевну.
3. Контроль за исполнением приказа оставляю за собой.


Директор                                              М.С. Виноградова
EOF
convert -size 827x1169 xc:'#f4f1ea' \
  -stroke '#2a3f8f' -strokewidth 3 -fill none -draw 'circle 575,765 575,702' \
  -strokewidth 2 -draw 'circle 575,765 575,712' \
  -stroke '#1d1d5f' -strokewidth 2 -draw 'bezier 300,760 330,720 350,790 380,740 400,735 410,770' \
  -stroke none -font "$serif" -pointsize 15 -fill '#1d1d1d' -annotate +90+90 "$(cat "$tmp/order.txt")" \
  -font "$serif_b" -pointsize 12 -fill '#2a3f8f' -annotate +510+762 'АНО ДПО «Горизонт»' \
  -pointsize 10 -annotate +530+780 'для документов' \
  -attenuate 0.5 +noise Gaussian -rotate 0.7 -gravity center -crop 827x1169+0+0 \
  +repage -colorspace Gray -blur 0x0.4 -quality 45 "$tmp/scan.jpg"
img2pdf --pagesize A4 --title 'Приказ № 09-З от 28.02.2025' --creationdate 2025-02-28T12:00:00 \
  --moddate 2025-02-28T12:00:00 --producer 'scanner' -o "$out/files/prikazy/prikaz-09-z-2025.pdf" \
  "$tmp/scan.jpg"

# ---- the photo of a contest diploma
winner=$(get winner)
convert -size 900x640 xc:'#fbf7e9' \
  -fill none -stroke '#b08a2e' -strokewidth 14 -draw 'rectangle 20,20 880,620' \
  -stroke '#b08a2e' -strokewidth 3 -draw 'rectangle 42,42 858,598' -stroke none \
  -font "$serif_b" -pointsize 54 -fill '#8a1c1c' -gravity north -annotate +0+80 'ДИПЛОМ' \
  -font "$serif_b" -pointsize 30 -annotate +0+150 'I степени' \
  -font "$serif" -pointsize 22 -fill '#222' -annotate +0+215 'награждается' \
  -font "$serif_b" -pointsize 30 -annotate +0+255 "$winner" \
  -font "$serif" -pointsize 21 -annotate +0+320 'победитель регионального конкурса' \
  -annotate +0+352 '«Лучший онлайн-курс — 2025»' \
  -annotate +0+384 'в номинации «Корпоративное обучение»' \
  -pointsize 18 -gravity southwest -annotate +90+80 'Председатель конкурсной комиссии' \
  -gravity southeast -annotate +90+80 'Екатеринбург, 18 апреля 2025 г.' \
  "$tmp/diploma.png"
convert -size 1000x750 gradient:'#7a5a3a-#4e3822' "$tmp/desk.png"
convert "$tmp/diploma.png" -virtual-pixel transparent -background none \
  +distort Perspective '0,0 70,60  900,0 940,95  900,640 900,700  0,640 40,660' \
  "$tmp/tilted.png"
convert "$tmp/desk.png" "$tmp/tilted.png" -geometry +0+0 -composite -attenuate 0.3 +noise Gaussian \
  -modulate 104,90 -sampling-factor 4:2:0 -strip -quality 72 \
  "$out/files/foto/diplom-konkurs-2025.jpg"

# ---- the audio clip (about 12 s of Russian speech)
espeak-ng -v ru -s 150 -w "$tmp/speech.wav" \
  "Добрый вечер, коллеги. Мы начинаем курс повышения квалификации «Цифровая образовательная среда». \
Сегодня поговорим о нормативной базе электронного обучения и о том, как устроен наш курс."
sox "$tmp/speech.wav" -r 16000 -c 1 -C 0 "$out/files/audio/vvodnoe-zanyatie.ogg"
ls -l "$out/files"/*/*
