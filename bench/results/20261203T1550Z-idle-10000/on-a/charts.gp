set terminal pngcairo size 1000,600 font 'Sans,11' noenhanced
set key top left
set grid
set output 'memory-per-connection.png'
set title 'idle (idle-10000): server RSS growth per connection (KB)'
set xlabel ''
set ylabel 'KB per connection'
set style fill solid 0.6
set boxwidth 0.6
set yrange [0:*]
unset key
plot 'memory.dat' using 0:2:xtic(1) with boxes lc rgb '#4477aa', '' using 0:2:(sprintf('%.0f', $2)) with labels offset 0,1
