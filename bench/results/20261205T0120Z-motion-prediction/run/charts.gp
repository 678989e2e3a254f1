set terminal pngcairo size 1000,600 font 'Sans,11' noenhanced
set key top left
set grid
