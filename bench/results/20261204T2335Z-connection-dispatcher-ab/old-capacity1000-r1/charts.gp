set terminal pngcairo size 1000,600 font 'Sans,11' noenhanced
set key top left
set grid
set output 'latency-vs-clients.png'
set title 'capacity: input-to-state latency (MoveTo -> own Ship.last_input_seq) against offered load'
set xlabel 'clients (1 MoveTo per second each, 64 sectors)'
set ylabel 'latency (ms, log scale)'
set logscale y
set arrow from graph 0, first 100.0 to graph 1, first 100.0 nohead dt 3 lc rgb 'red'
plot for [i=0:0] 'capacity.dat' index i using 1:4 with linespoints lw 2 pt 7 lc i+1 title columnheader(1).' p99', for [i=0:0] 'capacity.dat' index i using 1:2 with linespoints dt 2 pt 6 lc i+1 title columnheader(1).' p50'
unset arrow
unset logscale y
set output 'server-cpu-vs-clients.png'
set title 'capacity: server CPU (cores, from /proc/PID/stat) against offered load; server pinned to 1 core'
set ylabel 'server CPU (cores)'
set yrange [0:*]
plot for [i=0:0] 'capacity.dat' index i using 1:6 with linespoints lw 2 pt 7 lc i+1 title columnheader(1)
set yrange [*:*]
