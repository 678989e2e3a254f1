set terminal pngcairo size 1000,600 font 'Sans,11' noenhanced
set key top left
set grid
set xlabel 'ships (clients) in one sector, 1 MoveTo/s each, 20 Hz'
set logscale x 2
set xtics (500)
set output 'crowd-latency.png'
set title 'crowd: input-to-state p99 of the clients still connected (target 150 ms at 1,000 ships)'
set ylabel 'p99 input-to-state (ms, log scale)'
set logscale y
set arrow from graph 0, first 150 to graph 1, first 150 nohead dt 3 lc rgb 'red'
plot for [i=0:1] 'crowd.dat' index i using 1:2 with linespoints lw 2 pt 7 lc i+1 title columnheader(1)
unset arrow
unset logscale y
set output 'crowd-connected.png'
set title 'crowd: clients still connected at the end of the measured window'
set ylabel 'connected (% of clients)'
set yrange [0:105]
plot for [i=0:1] 'crowd.dat' index i using 1:3 with linespoints lw 2 pt 7 lc i+1 title columnheader(1)
set output 'crowd-cpu.png'
set title 'crowd: server CPU (cores; server pinned to one core)'
set ylabel 'server CPU (cores)'
set yrange [0:*]
plot for [i=0:1] 'crowd.dat' index i using 1:4 with linespoints lw 2 pt 7 lc i+1 title columnheader(1)
set yrange [*:*]
unset logscale x
set xtics autofreq
set xlabel 'ships (clients) in one sector, 1 MoveTo/s each, 20 Hz'
set logscale x 2
set xtics (1000)
set output 'crowd-predicted-latency.png'
set title 'crowd-predicted: input-to-state p99 of the clients still connected (target 150 ms at 1,000 ships)'
set ylabel 'p99 input-to-state (ms, log scale)'
set logscale y
set arrow from graph 0, first 150 to graph 1, first 150 nohead dt 3 lc rgb 'red'
plot for [i=0:1] 'crowd-predicted.dat' index i using 1:2 with linespoints lw 2 pt 7 lc i+1 title columnheader(1)
unset arrow
unset logscale y
set output 'crowd-predicted-connected.png'
set title 'crowd-predicted: clients still connected at the end of the measured window'
set ylabel 'connected (% of clients)'
set yrange [0:105]
plot for [i=0:1] 'crowd-predicted.dat' index i using 1:3 with linespoints lw 2 pt 7 lc i+1 title columnheader(1)
set output 'crowd-predicted-cpu.png'
set title 'crowd-predicted: server CPU (cores; server pinned to one core)'
set ylabel 'server CPU (cores)'
set yrange [0:*]
plot for [i=0:1] 'crowd-predicted.dat' index i using 1:4 with linespoints lw 2 pt 7 lc i+1 title columnheader(1)
set yrange [*:*]
unset logscale x
set xtics autofreq
