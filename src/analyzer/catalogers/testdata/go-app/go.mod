module example.com/app

go 1.19

require (
	example.com/greet v1.2.3
	example.com/shout v0.4.0
)

replace example.com/shout v0.4.0 => example.com/shout-fork v0.4.1
