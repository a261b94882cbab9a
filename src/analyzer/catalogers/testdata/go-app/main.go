package main

import (
	"fmt"

	"example.com/greet"
	"example.com/shout"
)

func main() { fmt.Println(shout.Up(greet.Hello())) }
